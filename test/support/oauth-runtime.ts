// An in-process Keyway (the real runtime: keychain, store, proxy, OAuth client) for OAuth tests
// that need to reach into its state machine or count what the sandbox saw, with logins by the
// test browser and proxied MCP calls through the real proxy.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { startKeyway, type KeywayRuntime } from '../../src/main/core/keyway-runtime';
import { dataDirId } from '../../src/main/core/data-dir';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { oauthSecretNames } from '../../src/main/core/oauth/oauth-secrets';
import { tempDataDir } from './keyway-process';
import { TEST_BROWSER } from './oauth-harness';

export interface OAuthRuntime {
  rt: KeywayRuntime;
  dataDir: string;
  close(): Promise<void>;
}

export async function startOAuthRuntime(prefix: string): Promise<OAuthRuntime> {
  const dataDir = await tempDataDir(prefix);
  const rt = await startKeyway({
    dataDir,
    port: 0,
    owner: 'oauth test',
    version: 'test',
    rendererDir: dataDir,
    log: () => undefined,
  });
  return {
    rt,
    dataDir,
    async close() {
      await rt.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Adds an OAuth account for `mcpUrl` and logs in with the test browser. */
export async function addAndLogin(rt: KeywayRuntime, name: string, mcpUrl: string): Promise<void> {
  const api = rt.service.api;
  await api['account.addOAuth']({ name, mcpUrl });
  await loginWithBrowser(rt, name);
}

export async function loginWithBrowser(rt: KeywayRuntime, name: string): Promise<void> {
  const api = rt.service.api;
  const started = await api['account.login']({ name });
  await new Promise((r) => spawn(TEST_BROWSER, [started.authorize]).on('close', r));
  const outcome = await api['account.awaitLogin']({ name, loginId: started.loginId });
  if (!outcome.done || !outcome.ok) throw new Error(`login failed: ${JSON.stringify(outcome)}`);
}

/** A connection on NAME/oauth and a client for it: the proxy URL and the client's local token. */
export async function proxyFor(
  rt: KeywayRuntime,
  name: string,
): Promise<{ url: string; token: string }> {
  const api = rt.service.api;
  const connection = await api['connection.add']({ slug: name, key: `${name}/oauth` });
  const client = await api['client.add']({ name: `${name}-agent`, connection: name });
  return { url: connection.url, token: client.token };
}

export async function refreshTokenOf(dataDir: string, name: string): Promise<string | undefined> {
  return new OsKeychain().get(oauthSecretNames.refreshToken(dataDirId(dataDir), name));
}

export async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
