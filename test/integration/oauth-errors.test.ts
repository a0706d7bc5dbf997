// Bad input around an OAuth login, each through the real CLI and `keyway serve` against the
// OAuth sandbox vendor: a clear one-line error, and an account the user can fix (a later login
// works once the server is right).
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/domain';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { KEYWAY_BIN, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { accountOf, cli, login, TEST_BROWSER, type CliLog } from '../support/oauth-harness';

let sandbox: OAuthSandbox;
let serve: ServeProcess;
let dataDir: string;
const log: CliLog = { outputs: [] };
let n = 0;

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ accessTokenTtlSec: 3600 });
  dataDir = await tempDataDir('keyway-oauth-errors-');
  serve = await startServe({ dataDir, timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await sandbox?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function newAccount(): Promise<string> {
  const name = `acct${++n}`;
  const res = await cli(log, dataDir, [
    'account',
    'add',
    name,
    '--vendor',
    'custom',
    '--mcp-url',
    sandbox.mcpUrl,
    '--auth',
    'oauth',
  ]);
  expect(res.code).toBe(0);
  return name;
}

/** The login fails with `message`, the account stays signed out, and a fixed server lets it in. */
async function failsThenRecovers(message: RegExp, fix: () => void): Promise<void> {
  const name = await newAccount();
  const res = await login(log, dataDir, name);
  expect(res.code).toBe(1);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(message);
  expect((await accountOf(log, dataDir, name)).oauth?.state).toBe('signed-out');
  fix();
  const again = await login(log, dataDir, name);
  expect(again.stderr).toBe('');
  expect(again.code).toBe(0);
  expect((await accountOf(log, dataDir, name)).oauth?.state).toBe('signed-in');
}

// Each case starts several CLI processes: generous limits for a loaded 2-core machine.
describe('OAuth login: bad input', { timeout: 120_000 }, () => {
  it('no metadata at all', async () => {
    sandbox.setFault('no-metadata');
    await failsThenRecovers(/no OAuth metadata found/, () => sandbox.setFault(null));
  });

  it('an issuer that does not match the authorization server', async () => {
    sandbox.setFault('wrong-issuer');
    await failsThenRecovers(/names another issuer \(https:\/\/login\.impostor\.example\)/, () =>
      sandbox.setFault(null),
    );
  });

  it('an http authorization server off loopback', async () => {
    sandbox.setFault('http-off-loopback');
    await failsThenRecovers(/not https and not on this machine/, () => sandbox.setFault(null));
  });

  it('protected resource metadata for another resource', async () => {
    sandbox.setFault('resource-mismatch');
    await failsThenRecovers(/is for https:\/\/other\.example\/mcp, not for this MCP server/, () =>
      sandbox.setFault(null),
    );
  });

  it('consent refused', async () => {
    sandbox.settings.denyConsent = true;
    await failsThenRecovers(/access_denied: the user refused consent/, () => {
      sandbox.settings.denyConsent = false;
    });
  });

  it('a refresh token revoked at the server: needs login, one refused refresh, no retry loop', async () => {
    sandbox.settings.accessTokenTtlSec = 4;
    const name = await newAccount();
    expect((await login(log, dataDir, name)).code).toBe(0);
    sandbox.settings.accessTokenTtlSec = 3600;
    expect(await sandbox.revokeRefreshTokens()).toBeGreaterThan(0);
    const grantsBefore = sandbox.stats.refreshGrants;
    const deadline = Date.now() + 15_000;
    while ((await accountOf(log, dataDir, name)).oauth?.state !== 'needs-login') {
      if (Date.now() > deadline) throw new Error('the account never reached "needs login"');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 5000));
    expect(sandbox.stats.refreshGrants - grantsBefore).toBe(1);
    const account = await accountOf(log, dataDir, name);
    expect(account.oauth?.reason).toMatch(/refused the refresh/);
    const ls = await cli(log, dataDir, ['account', 'ls']);
    expect(ls.stdout).toMatch(new RegExp(`${name}.*needs login`));
    const audit = await cli(log, dataDir, ['audit', '--json', '--event', 'oauth']);
    const events = (JSON.parse(audit.stdout) as AuditEntry[]).filter((e) => e.account === name);
    expect(events.map((e) => e.event)).toContain('oauth.needs-login');
    // Fixable: a new login brings it back.
    expect((await login(log, dataDir, name)).code).toBe(0);
    expect((await accountOf(log, dataDir, name)).oauth?.state).toBe('signed-in');
  }, 120_000);

  it('the callback hit with a wrong state: an error page, nothing changed, the real login still works', async () => {
    const name = await newAccount();
    const child = spawn(
      process.execPath,
      [KEYWAY_BIN, 'account', 'login', name, '--no-browser', '--json'],
      { env: { ...process.env, KEYWAY_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    while (!stdout.includes('\n')) await new Promise((r) => setTimeout(r, 50));
    const { authorize } = JSON.parse(stdout.split('\n')[0]!) as { authorize: string };

    const forged = await fetch(`${serve.url}/oauth/callback?code=stolen&state=not-the-state`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/does not match a login Keyway started/);
    expect((await accountOf(log, dataDir, name)).oauth?.state).toBe('signed-out');

    const browser = spawn(TEST_BROWSER, [authorize], { stdio: 'ignore' });
    await new Promise((r) => browser.on('close', r));
    expect(await exited).toBe(0);
    expect((await accountOf(log, dataDir, name)).oauth?.state).toBe('signed-in');
  }, 120_000);
});
