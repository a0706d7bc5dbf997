import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import type { KeyView } from '../../src/shared/contract';
import {
  findSecrets,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';

const running: ServeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

describe('accounts and keys on the real OS keychain', () => {
  it('keeps a credential and an imported key across a restart, and never writes them anywhere else', async () => {
    const dataDir = await tempDataDir();
    const credential = `quave-cred-${randomBytes(16).toString('hex')}`;
    const secret = randomBytes(40).toString('hex'); // a Qyvo token: 80 hex chars
    const first = await startServe({ dataDir });
    running.push(first);

    const addAccount = await runKeyway(
      ['account', 'add', 'team', '--vendor', 'quave', '--credential-stdin', '--json'],
      { dataDir, stdin: `${credential}\n` },
    );
    expect(addAccount.code, addAccount.stderr).toBe(0);
    expect(JSON.parse(addAccount.stdout)).toMatchObject({
      name: 'team',
      vendor: 'quave',
      hasCredential: true,
    });
    const addQyvo = await runKeyway(['account', 'add', 'me', '--vendor', 'qyvo'], { dataDir });
    expect(addQyvo.code, addQyvo.stderr).toBe(0);

    const added = await runKeyway(
      ['key', 'add', 'me/claude', '--secret-stdin', '--scope', 'mcp', '--json'],
      { dataDir, stdin: secret },
    );
    expect(added.code, added.stderr).toBe(0);
    const change = JSON.parse(added.stdout) as {
      ref: string;
      version: { id: string; last4: string; fingerprint: string };
    };
    expect(change.ref).toBe('me/claude');
    expect(change.version.last4).toBe(secret.slice(-4));

    const conn = await runKeyway(['connection', 'add', 'qyvo', '--key', 'me/claude', '--json'], {
      dataDir,
    });
    expect(conn.code, conn.stderr).toBe(0);
    const client = await runKeyway(['client', 'add', 'cursor', '--connection', 'qyvo', '--json'], {
      dataDir,
    });
    expect(client.code, client.stderr).toBe(0);
    const token = (JSON.parse(client.stdout) as { token: string }).token;
    expect(token).toMatch(/^kwc_[A-Za-z0-9_-]{43}$/);

    const firstOut = first.output();
    expect(await first.stop()).toBe(0);

    // Restart: the key is listed with the same version, and its secret is still in the keychain.
    const second = await startServe({ dataDir });
    running.push(second);
    const ls = await runKeyway(['key', 'ls', '--json'], { dataDir });
    expect(ls.code, ls.stderr).toBe(0);
    const keys = JSON.parse(ls.stdout) as KeyView[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      ref: 'me/claude',
      account: 'me',
      vendor: 'qyvo',
      scopes: ['mcp'],
      rotateEvery: null,
    });
    expect(keys[0]!.version).toMatchObject({
      fingerprint: change.version.fingerprint,
      last4: secret.slice(-4),
      state: 'active',
    });
    const keychain = new OsKeychain();
    expect(await keychain.get(secretNames.keyVersion(change.version.id))).toBe(secret);
    expect(await keychain.get(secretNames.credential('team'))).toBe(credential);

    const audit = await runKeyway(['audit', '--json'], { dataDir });
    const events = (JSON.parse(audit.stdout) as Array<{ event: string }>).map((e) => e.event);
    expect(events).toEqual([
      'account.added',
      'account.added',
      'key.added',
      'connection.added',
      'client.added',
    ]);

    const outputs = [
      firstOut.stdout,
      firstOut.stderr,
      second.output().stdout,
      second.output().stderr,
      addAccount.stdout,
      added.stdout,
      ls.stdout,
      audit.stdout,
    ];
    expect(await findSecrets(dataDir, outputs, [secret, credential, token])).toEqual([]);
  });

  it('refuses a key whose format the vendor document rules out, and stores nothing', async () => {
    const dataDir = await tempDataDir();
    const serve = await startServe({ dataDir });
    running.push(serve);
    await runKeyway(['account', 'add', 'sp', '--vendor', 'specivo'], { dataDir });
    const bad = await runKeyway(['key', 'add', 'sp/agent', '--secret-stdin'], {
      dataDir,
      stdin: 'not-a-specivo-key',
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/spv_/);
    expect(bad.stderr).not.toContain('not-a-specivo-key');
    const ls = await runKeyway(['key', 'ls', '--json'], { dataDir });
    expect(JSON.parse(ls.stdout)).toEqual([]);
  });
});
