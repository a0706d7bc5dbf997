// The proxy seam for OAuth: `renewKey` after an upstream 401 (invalid_token) and `currentKey`
// on an expired token, in-process against the OAuth sandbox: twenty concurrent 401s make one
// refresh, a stale version never makes another, and through the real proxy a token the server
// stopped accepting is refreshed once while the client's call goes through.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKeyway, type KeywayRuntime } from '../../src/main/core/keyway-runtime';
import { ServiceProxyBackend } from '../../src/main/core/service/proxy-seam/proxy-link';
import { fingerprint } from '../../src/main/core/secret-facts';
import { TrafficHistory } from '../../src/main/core/traffic/traffic-history';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { tempDataDir } from '../support/keyway-process';
import { TEST_BROWSER } from '../support/oauth-harness';
import { connectClient, textOf } from '../support/mcp-upstream';

let sandbox: OAuthSandbox;
let rt: KeywayRuntime;
let dataDir: string;

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ accessTokenTtlSec: 3600 });
  dataDir = await tempDataDir('keyway-oauth-renew-');
  rt = await startKeyway({
    dataDir,
    port: 0,
    owner: 'oauth renew test',
    version: 'test',
    rendererDir: dataDir,
    log: () => undefined,
  });
  const api = rt.service.api;
  await api['account.addOAuth']({ name: 'notes', mcpUrl: sandbox.mcpUrl });
  const started = await api['account.login']({ name: 'notes' });
  await new Promise((r) => spawn(TEST_BROWSER, [started.authorize]).on('close', r));
  const outcome = await api['account.awaitLogin']({ name: 'notes', loginId: started.loginId });
  expect(outcome).toMatchObject({ done: true, ok: true });
  await api['connection.add']({ slug: 'notes', key: 'notes/oauth' });
}, 60_000);

afterAll(async () => {
  await rt?.close();
  await sandbox?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('a 401 on the current token: one shared refresh for every caller, then the new token', async () => {
  const backend = new ServiceProxyBackend(rt.service.ctx, new TrafficHistory(Date.now));
  const before = await backend.currentKey('notes');
  expect(fingerprint(before.secret)).toBe(fingerprint(sandbox.stats.accessTokensIssued.at(-1)!));
  const grants = sandbox.stats.refreshGrants;
  const renewed = await Promise.all(
    Array.from({ length: 20 }, () => backend.renewKey('notes', before.versionId)),
  );
  expect(renewed.every(Boolean)).toBe(true);
  expect(sandbox.stats.refreshGrants - grants).toBe(1);
  const after = await backend.currentKey('notes');
  expect(after.versionId).not.toBe(before.versionId);
  expect(after.secret).toBe(sandbox.stats.accessTokensIssued.at(-1));

  // A late 401 for the old version: the token was already replaced, no second refresh.
  expect(await backend.renewKey('notes', before.versionId)).toBe(true);
  expect(sandbox.stats.refreshGrants - grants).toBe(1);
});

it('an access token past its expiry is refreshed before it is handed out', async () => {
  const backend = new ServiceProxyBackend(rt.service.ctx, new TrafficHistory(Date.now));
  const before = await backend.currentKey('notes');
  const grants = sandbox.stats.refreshGrants;
  // The server says the next tokens live 1 s; the refresh timer (lead ≥ 1 s) fires at once, and
  // currentKey must never hand out a token past its expiry while that happens.
  sandbox.settings.accessTokenTtlSec = 1;
  await backend.renewKey('notes', before.versionId);
  sandbox.settings.accessTokenTtlSec = 3600;
  await new Promise((r) => setTimeout(r, 1500));
  const fresh = await backend.currentKey('notes');
  expect(sandbox.stats.refreshGrants - grants).toBeGreaterThanOrEqual(2);
  expect(fresh.secret).toBe(sandbox.stats.accessTokensIssued.at(-1));
  const account = (await rt.service.api['account.list']({})).find((a) => a.name === 'notes');
  expect(Date.parse(account!.oauth!.expiresAt!)).toBeGreaterThan(Date.now() + 60_000);
});

it('an account that is not OAuth is never renewed', async () => {
  const backend = new ServiceProxyBackend(rt.service.ctx, new TrafficHistory(Date.now));
  expect(await backend.renewKey('no-such-connection', 'v')).toBe(false);
});

it('through the proxy: a token the server no longer accepts is refreshed once and the call goes through', async () => {
  const api = rt.service.api;
  const { token } = await api['client.add']({ name: 'notes-agent', connection: 'notes' });
  const { client } = await connectClient(`${rt.url}/mcp/notes`, token);
  try {
    expect(
      textOf(await client.callTool({ name: 'echo', arguments: { text: 'before' } })),
    ).toContain('before');
    const grants = sandbox.stats.refreshGrants;
    expect(await sandbox.revokeAccessTokens()).toBeGreaterThan(0);
    // The same session, the next call: the vendor answers 401 invalid_token, the proxy asks the
    // backend to renew, and resends the call once with the new access token.
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toContain(
      'after',
    );
    expect(sandbox.stats.refreshGrants - grants).toBe(1);
    const keys = await api['key.list']({});
    expect(keys.find((k) => k.ref === 'notes/oauth')?.refusedAt ?? null).toBeNull();
  } finally {
    await client.close();
  }
});

it('key rotate on an OAuth key is refused with what to do instead', async () => {
  await expect(rt.service.api['key.rotate']({ ref: 'notes/oauth' })).rejects.toThrow(
    /refreshes it on its own.*keyway account login notes/,
  );
});
