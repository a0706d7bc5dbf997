// The OAuth state machine of an account against the real runtime and the OAuth sandbox: what
// the user chose wins over what was in flight (a logout during a refresh), one `state` is
// redeemed once, and a refresh that keeps failing backs off instead of hammering the server and
// the audit log — whose lines never carry the refresh token a hostile error page echoes.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/domain';
import { ServiceProxyBackend } from '../../src/main/core/service/proxy-seam/proxy-link';
import { hasControlCharacters } from '../../src/main/core/untrusted-text';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { TEST_BROWSER } from '../support/oauth-harness';
import {
  addAndLogin,
  loginWithBrowser,
  proxyFor,
  refreshTokenOf,
  startOAuthRuntime,
  waitFor,
  type OAuthRuntime,
} from '../support/oauth-runtime';

let sandbox: OAuthSandbox;
let kw: OAuthRuntime;

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ accessTokenTtlSec: 3600 });
  kw = await startOAuthRuntime('keyway-oauth-races-');
}, 60_000);

afterAll(async () => {
  await kw?.close();
  await sandbox?.close();
});

const account = (name: string) =>
  kw.rt.service.ctx.store.current.accounts.find((a) => a.name === name)!;

async function auditLines(): Promise<string> {
  return readFile(join(kw.dataDir, 'audit.jsonl'), 'utf8').catch(() => '');
}

describe('OAuth sessions', { timeout: 90_000 }, () => {
  it('a logout during a refresh stays a logout; the late tokens are revoked', async () => {
    // Tokens live 3 s, so the refresh timer fires about 2 s after the login; the server's
    // answer to it is held back 4 s, and the user logs out meanwhile.
    sandbox.settings.accessTokenTtlSec = 3;
    const faulted = sandbox.stats.faultedTokenRequests;
    await addAndLogin(kw.rt, 'late', sandbox.mcpUrl);
    sandbox.setTokenFault({ kind: 'delay', delayMs: 4000 });
    sandbox.settings.accessTokenTtlSec = 3600;
    await proxyFor(kw.rt, 'late');
    const revocations = sandbox.stats.revocations;
    const grants = sandbox.stats.refreshGrants;
    try {
      await waitFor(
        'the refresh to reach the server',
        () => sandbox.stats.faultedTokenRequests > faulted,
      );
      await kw.rt.service.api['account.logout']({ name: 'late' });
      // The answer arrives (4 s) and is dealt with.
      await new Promise((r) => setTimeout(r, 6000));
    } finally {
      sandbox.setTokenFault(null);
    }
    expect(sandbox.stats.refreshGrants - grants).toBe(1);
    const a = account('late');
    expect(a.oauth?.state).toBe('signed-out');
    const key = kw.rt.service.ctx.store.current.keys.find((k) => k.ref === 'late/oauth')!;
    expect(key.versions).toEqual([]);
    expect(await refreshTokenOf(kw.dataDir, 'late')).toBeUndefined();
    // The logout's own revocation, and the late refresh token's.
    expect(sandbox.stats.revocations - revocations).toBeGreaterThanOrEqual(2);
    await expect(new ServiceProxyBackend(kw.rt.service.ctx).currentKey('late')).rejects.toThrow(
      /no active key version/,
    );
  });

  it('one state is redeemed once, even by two callbacks at the same moment', async () => {
    await kw.rt.service.api['account.addOAuth']({ name: 'twice', mcpUrl: sandbox.mcpUrl });
    const started = await kw.rt.service.api['account.login']({ name: 'twice' });
    // The browser follows the authorization server's redirects up to Keyway's callback.
    const { stdout } = await promisify(execFile)(TEST_BROWSER, [started.authorize], {
      env: { ...process.env, OAUTH_TEST_BROWSER_STOP_AT: `${kw.rt.url}/oauth/callback` },
    });
    const url = new URL(stdout.trim());
    expect(url.searchParams.get('code')).toBeTruthy();
    const exchanges = sandbox.stats.codeExchanges;
    const answers = await Promise.all([fetch(url), fetch(url)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(sandbox.stats.codeExchanges - exchanges).toBe(1);
    expect(account('twice').oauth?.state).toBe('signed-in');
  });

  it('a failing refresh backs off: one request and one audit line, not one per call; no token in the audit', async () => {
    sandbox.settings.accessTokenTtlSec = 2;
    const faulted = sandbox.stats.faultedTokenRequests;
    await addAndLogin(kw.rt, 'flaky', sandbox.mcpUrl);
    await proxyFor(kw.rt, 'flaky');
    // From now on the token endpoint answers with an error page that echoes the request
    // (refresh token and all) behind terminal escapes.
    sandbox.setTokenFault({ kind: 'echo' });
    sandbox.settings.accessTokenTtlSec = 3600;
    const refreshToken = await refreshTokenOf(kw.dataDir, 'flaky');
    expect(refreshToken).toBeTruthy();
    const events: string[] = [];
    const unsubscribe = kw.rt.events.subscribe((e) => events.push(JSON.stringify(e)));
    try {
      await waitFor(
        'the timer refresh to fail',
        () => sandbox.stats.faultedTokenRequests > faulted,
      );
      await waitFor('the failure to be recorded', async () =>
        (await auditLines()).includes('oauth.refresh-failed'),
      );
      // Five proxied requests on the expired token during the back-off.
      const backend = new ServiceProxyBackend(kw.rt.service.ctx);
      for (let i = 0; i < 5; i++) await backend.currentKey('flaky').catch(() => undefined);
      for (let i = 0; i < 5; i++)
        await backend.renewKey('flaky', (await backend.currentKey('flaky')).versionId);
    } finally {
      sandbox.setTokenFault(null);
      unsubscribe();
    }
    expect(sandbox.stats.faultedTokenRequests - faulted).toBe(1);
    const audit = await auditLines();
    const failures = audit
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditEntry)
      .filter((e) => e.event === 'oauth.refresh-failed' && e.account === 'flaky');
    expect(failures).toHaveLength(1);
    const message = String((failures[0]!.detail as { message: string }).message);
    expect(message).toMatch(/could not handle/);
    expect(message).toMatch(/refresh_token=\[redacted\]/);
    expect(hasControlCharacters(message)).toBe(false);
    expect(audit).not.toContain(refreshToken!);
    expect(events.join('\n')).not.toContain(refreshToken!);
    expect(account('flaky').oauth?.state).toBe('signed-in');
  });

  it('three concurrent 403s for one token ask for one step-up, and a later token may ask again', async () => {
    await addAndLogin(kw.rt, 'scopes', sandbox.mcpUrl);
    await proxyFor(kw.rt, 'scopes');
    const backend = new ServiceProxyBackend(kw.rt.service.ctx);
    const challenge = 'Bearer error="insufficient_scope", scope="openid mcp:tools mcp:admin"';
    const asks: string[] = [];
    const unsubscribe = kw.rt.events.subscribe((e) => {
      if (
        e.type === 'account.needsLogin' &&
        (e.payload as { account: string }).account === 'scopes'
      )
        asks.push(e.type);
    });
    try {
      for (let round = 0; round < 2; round++) {
        const { versionId } = await backend.currentKey('scopes');
        for (let i = 0; i < 3; i++) backend.onKeyRefused('scopes', versionId, 403, challenge);
        await waitFor('needs login', () => account('scopes').oauth?.state === 'needs-login');
        expect(account('scopes').oauth?.wantedScopes).toContain('mcp:admin');
        // The user logs in again (a new token) and the server still wants more.
        await loginWithBrowser(kw.rt, 'scopes');
      }
      const { versionId } = await backend.currentKey('scopes');
      backend.onKeyRefused('scopes', versionId, 403, challenge);
      await waitFor('needs login', () => account('scopes').oauth?.state === 'needs-login');
    } finally {
      unsubscribe();
    }
    expect(asks).toHaveLength(3);
  });

  it('a refusal is recorded once its store write succeeds; a failed write is retried', async () => {
    await addAndLogin(kw.rt, 'refused', sandbox.mcpUrl);
    await proxyFor(kw.rt, 'refused');
    const ctx = kw.rt.service.ctx;
    let failures = 1;
    const store = new Proxy(ctx.store, {
      get(target, prop) {
        if (prop === 'update' && failures > 0)
          return () => {
            failures--;
            return Promise.reject(new Error('disk full'));
          };
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const backend = new ServiceProxyBackend({ ...ctx, store });
    const { versionId } = await backend.currentKey('refused');
    backend.onKeyRefused('refused', versionId, 401);
    const key = () => ctx.store.current.keys.find((k) => k.ref === 'refused/oauth')!;
    await waitFor('the refusal to be recorded', () => key().refusedAt !== null, 10_000);
    expect(failures).toBe(0);
    // The server refused a fresh token: only a login helps, and the account says so.
    await waitFor('needs login', () => account('refused').oauth?.state === 'needs-login');
    expect(account('refused').oauth?.reason).toMatch(/log in again: keyway account login refused/);
  });
});
