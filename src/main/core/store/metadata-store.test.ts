import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetadataStore } from './metadata-store';
import { STORE_FILE } from './store-document';
import { DataDirLock } from './data-dir-lock';
import { tempDataDir } from '../../../../test/support/keyway-process';

const dir = () => tempDataDir('keyway-store-');

describe('metadata store', () => {
  it('creates an owner-only store and applies updates in order', async () => {
    const d = await dir();
    const store = await MetadataStore.open(d);
    await Promise.all(
      [1, 2, 3].map((i) =>
        store.update(
          (doc) =>
            void doc.connections.push({
              slug: `c${i}`,
              key: 'a/b',
              upstream: 'http://x',
              transport: 'sse',
              createdAt: '',
            }),
        ),
      ),
    );
    const reopened = await MetadataStore.open(d);
    expect(reopened.current.connections.map((c) => c.slug)).toEqual(['c1', 'c2', 'c3']);
    expect((await stat(join(d, STORE_FILE))).mode & 0o777).toBe(0o600);
    expect((await readdir(d)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed update changes nothing, in memory or on disk', async () => {
    const d = await dir();
    const store = await MetadataStore.open(d);
    const before = await readFile(join(d, STORE_FILE), 'utf8');
    await expect(
      store.update((doc) => {
        doc.settings.proxyPort = 1;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(store.current.settings.proxyPort).toBe(8931);
    expect(await readFile(join(d, STORE_FILE), 'utf8')).toBe(before);
    await store.update((doc) => void (doc.settings.proxyPort = 9000));
    expect(store.current.settings.proxyPort).toBe(9000);
  });

  it('migrates a version-0 document forward and keeps its data', async () => {
    const d = await dir();
    const v0 = {
      accounts: [],
      keys: [],
      connections: [],
      clients: [],
      settings: { proxyPort: 8931, defaultRotateEvery: 90, launchAtLogin: false },
    };
    await writeFile(join(d, STORE_FILE), JSON.stringify(v0));
    const store = await MetadataStore.open(d);
    expect(store.current.version).toBe(1);
    expect(store.current.rotations).toEqual([]);
    expect(JSON.parse(await readFile(join(d, STORE_FILE), 'utf8'))).toMatchObject({
      version: 1,
      rotations: [],
    });
  });

  it('refuses a document of the wrong shape, naming the first wrong field, and keeps unknown fields', async () => {
    const d = await dir();
    const good = {
      version: 1,
      accounts: [{ name: 'a', vendor: 'qyvo', apiUrl: 'https://x', mcpUrl: 'https://x/mcp' }],
      keys: [],
      connections: [],
      clients: [{ name: 'c', connection: 's', tokenHash: 'f'.repeat(64), extra: true }],
      rotations: [],
      settings: { proxyPort: 8931, defaultRotateEvery: 90, launchAtLogin: false },
      later: { field: 1 },
    };
    await writeFile(join(d, STORE_FILE), JSON.stringify(good));
    expect((await MetadataStore.open(d)).current).toEqual(good);
    const cases: [unknown, string][] = [
      [{ ...good, accounts: [{ ...good.accounts[0], vendor: 'acme' }] }, 'accounts.0.vendor'],
      [{ ...good, clients: [{ ...good.clients[0], tokenHash: 'secret' }] }, 'clients.0.tokenHash'],
      [{ ...good, keys: {} }, 'keys: expected array'],
      [{ ...good, settings: { proxyPort: '8931' } }, 'settings.proxyPort: expected number'],
      [{ ...good, version: 1, connections: [{ slug: 's', key: 'k' }] }, 'connections.0.upstream'],
    ];
    for (const [doc, named] of cases) {
      await writeFile(join(d, STORE_FILE), JSON.stringify(doc));
      const before = await readFile(join(d, STORE_FILE), 'utf8');
      await expect(MetadataStore.open(d)).rejects.toThrow(
        `does not look like a Keyway store (${named}`,
      );
      expect(await readFile(join(d, STORE_FILE), 'utf8')).toBe(before); // left untouched
    }
  });

  it('the data-directory lock names a live owner and takes over a dead one', async () => {
    const d = await dir();
    await writeFile(
      join(d, 'keyway.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, owner: 'keyway serve' }),
    );
    const lock = await DataDirLock.acquire(d, 'test');
    await expect(DataDirLock.acquire(d, 'other')).resolves.toBeDefined(); // same pid: re-entrant for this process
    await lock.release();
    await writeFile(
      join(d, 'keyway.lock'),
      JSON.stringify({ pid: process.ppid, owner: 'Keyway desktop' }),
    );
    await expect(DataDirLock.acquire(d, 'test')).rejects.toThrow(
      `Keyway desktop, pid ${process.ppid}`,
    );
  });
});
