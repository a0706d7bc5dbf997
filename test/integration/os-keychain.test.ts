import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import { dataDirId } from '../../src/main/core/data-dir';
import type { KeyView } from '../../src/shared/contract';
import { ControlApi } from '../support/rotation-harness';
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
// The vendors live in this process, so they outlive the restarts of `keyway serve`.
let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

async function whoamiThroughProxy(url: string, token: string): Promise<{ keyId: string }> {
  const client = new Client({ name: 'os-keychain-test', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  try {
    const res = (await client.callTool({ name: 'whoami', arguments: {} })) as {
      content: Array<{ text: string }>;
    };
    return JSON.parse(res.content[0]!.text) as { keyId: string };
  } finally {
    await client.close();
  }
}

describe('accounts and keys on the real OS keychain', () => {
  it('keeps a credential and an imported key across a restart, and never writes them anywhere else', async () => {
    const dataDir = await tempDataDir();
    const credential = sb.dashboard.createKey('quave', { kind: 'user-token' }).secret;
    const qyvoKey = sb.dashboard.createKey('qyvo', { name: 'claude' });
    const secret = qyvoKey.secret;
    const { quave, qyvo } = sb.vendors;
    const first = await startServe({ dataDir });
    running.push(first);

    const addAccount = await runKeyway(
      [
        'account',
        'add',
        'team',
        '--vendor',
        'quave',
        '--api-url',
        quave.apiUrl,
        '--mcp-url',
        quave.mcpUrl,
        '--credential-stdin',
        '--json',
      ],
      { dataDir, stdin: `${credential}\n` },
    );
    expect(addAccount.code, addAccount.stderr).toBe(0);
    expect(JSON.parse(addAccount.stdout)).toMatchObject({
      name: 'team',
      vendor: 'quave',
      hasCredential: true,
    });
    const addQyvo = await runKeyway(
      [
        'account',
        'add',
        'me',
        '--vendor',
        'qyvo',
        '--api-url',
        qyvo.apiUrl,
        '--mcp-url',
        qyvo.mcpUrl,
      ],
      { dataDir },
    );
    expect(addQyvo.code, addQyvo.stderr).toBe(0);

    // New keys take the default rotation period from Settings (issue 14); this one is added with
    // none set, so it is stored without a period.
    await ControlApi.fromUi(first.url, first.ui).call('settings.update', {
      defaultRotateEvery: null,
    });
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
    expect(await keychain.get(secretNames.credential(dataDirId(dataDir), 'team'))).toBe(credential);

    // Usable: an AI client calls through the restarted proxy, and the vendor sees that very key.
    // The sandbox names the key that served a call `id#generation`.
    expect((await whoamiThroughProxy(`${second.url}/mcp/qyvo`, token)).keyId).toBe(
      `${qyvoKey.id}#1`,
    );

    const audit = await runKeyway(['audit', '--json'], { dataDir });
    const events = (JSON.parse(audit.stdout) as Array<{ event: string }>).map((e) => e.event);
    expect(events.slice(0, 5)).toEqual([
      'account.added',
      'account.added',
      'key.added',
      'connection.added',
      'client.added',
    ]);
    expect(events).toContain('client.connected');

    const second0 = second.output();
    const outputs = [
      firstOut.stdout,
      firstOut.stderr,
      second0.stdout,
      second0.stderr,
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
