// Servers that hang, lie or send what they should not, against Keyway's OAuth client (the real
// runtime, the real proxy, the OAuth sandbox with its switchable faults): a hanging token
// endpoint fails only its own account's calls and within a minute; a client registered at one
// authorization server is never offered to another; a `resource_metadata` URL off loopback
// must be https; terminal escapes in an error never reach the user.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasControlCharacters } from '../../src/main/core/untrusted-text';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { connectClient, textOf } from '../support/mcp-upstream';
import { KEYWAY_BIN } from '../support/keyway-process';
import {
  addAndLogin,
  loginWithBrowser,
  proxyFor,
  startOAuthRuntime,
  waitFor,
  type OAuthRuntime,
} from '../support/oauth-runtime';

let slow: OAuthSandbox;
let healthy: OAuthSandbox;
let kw: OAuthRuntime;

beforeAll(async () => {
  slow = await startOAuthSandbox({ accessTokenTtlSec: 3600 });
  healthy = await startOAuthSandbox({ accessTokenTtlSec: 3600 });
  kw = await startOAuthRuntime('keyway-oauth-hostile-');
}, 60_000);

afterAll(async () => {
  await kw?.close();
  await slow?.close();
  await healthy?.close();
});

const api = () => kw.rt.service.api;

describe('hostile OAuth servers', { timeout: 120_000 }, () => {
  it('a token endpoint that drips a byte a second fails its account within 60 s; another account is unaffected', async () => {
    slow.settings.accessTokenTtlSec = 3;
    await addAndLogin(kw.rt, 'dripping', slow.mcpUrl);
    slow.setTokenFault({ kind: 'drip' });
    slow.settings.accessTokenTtlSec = 3600;
    await addAndLogin(kw.rt, 'fine', healthy.mcpUrl);
    const a = await proxyFor(kw.rt, 'dripping');
    const b = await proxyFor(kw.rt, 'fine');
    const { client: other } = await connectClient(b.url, b.token);
    try {
      // The dripping account's token expires; its refresh now hangs on the token endpoint.
      await waitFor('the refresh to hang', () => slow.stats.faultedTokenRequests > 0, 20_000);
      const started = performance.now();
      const failed = connectClient(a.url, a.token).then(
        async ({ client }) => {
          try {
            return await client.callTool({ name: 'echo', arguments: { text: 'x' } });
          } finally {
            await client.close();
          }
        },
        (err: unknown) => err,
      );
      let done = false;
      const settled = failed.finally(() => (done = true));
      // Meanwhile the other account's calls go through, each quickly.
      let otherCalls = 0;
      while (!done) {
        const t = performance.now();
        const res = await other.callTool({ name: 'echo', arguments: { text: `ok ${otherCalls}` } });
        expect(textOf(res)).toContain(`ok ${otherCalls}`);
        expect(performance.now() - t).toBeLessThan(5_000);
        otherCalls++;
        await new Promise((r) => setTimeout(r, 500));
      }
      const outcome = await settled;
      const elapsed = performance.now() - started;
      console.log(`hanging token endpoint: the call failed after ${Math.round(elapsed)} ms`);
      expect(elapsed).toBeLessThan(60_000);
      expect(otherCalls).toBeGreaterThan(3);
      expect(String(outcome instanceof Error ? outcome.message : JSON.stringify(outcome))).toMatch(
        /log in again: keyway account login dripping|did not finish|no answer/,
      );
    } finally {
      slow.setTokenFault(null);
      await other.close();
    }
  });

  it('a pre-registered client is not offered to another authorization server', async () => {
    // A client registered at `slow`'s authorization server, as an admin would.
    const meta = (await (
      await fetch(`${slow.issuer}/.well-known/oauth-authorization-server`)
    ).json()) as { registration_endpoint: string };
    const reg = (await (
      await fetch(meta.registration_endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [`${kw.rt.url}/oauth/callback`],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_post',
        }),
      })
    ).json()) as { client_id: string; client_secret: string };
    await api()['account.addOAuth']({
      name: 'prereg',
      mcpUrl: slow.mcpUrl,
      clientId: reg.client_id,
      clientSecret: reg.client_secret,
    });
    await loginWithBrowser(kw.rt, 'prereg');
    // The MCP server now names another authorization server.
    slow.setAuthorizationServer(healthy.issuer);
    const loginsAtOther = healthy.stats.logins;
    try {
      const keyway = api();
      const err = await keyway['account.login']({ name: 'prereg' }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(
        new RegExp(`registered at ${slow.issuer}.*names ${healthy.issuer}.*does not send`),
      );
      expect(err?.message.split('\n')).toHaveLength(1);
    } finally {
      slow.setAuthorizationServer(null);
    }
    expect(healthy.stats.logins).toBe(loginsAtOther);
    const o = kw.rt.service.ctx.store.current.accounts.find((a) => a.name === 'prereg')!.oauth!;
    expect(o.issuer).toBe(slow.issuer);
    expect(o.state).toBe('signed-in');
  });

  it('a resource_metadata URL in the 401 challenge must be https off loopback', async () => {
    await api()['account.addOAuth']({ name: 'prm', mcpUrl: healthy.mcpUrl });
    healthy.setFault('insecure-resource-metadata');
    try {
      await expect(api()['account.login']({ name: 'prm' })).rejects.toThrow(
        /resource metadata URL \(http:\/\/metadata\.sandbox\.example\) is not https/,
      );
    } finally {
      healthy.setFault(null);
    }
  });

  it('terminal escapes in an authorization error never reach the terminal', async () => {
    await api()['account.addOAuth']({ name: 'escapes', mcpUrl: healthy.mcpUrl });
    const child = spawn(
      process.execPath,
      [KEYWAY_BIN, 'account', 'login', 'escapes', '--no-browser', '--json'],
      { env: { ...process.env, KEYWAY_DATA_DIR: kw.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await waitFor('the authorization URL', () => stdout.includes('\n'));
    const { authorize } = JSON.parse(stdout.split('\n')[0]!) as { authorize: string };
    const state = new URL(authorize).searchParams.get('state')!;
    // What a hostile authorization server sends the browser back with.
    const description = `\u001b]0;pwned\u0007\u001b[2J\u001b[31mdenied\u001b[0m ${'x'.repeat(10_000)}`;
    const page = await fetch(
      `${kw.rt.url}/oauth/callback?${new URLSearchParams({ state, error: 'access_denied', error_description: description, iss: healthy.issuer })}`,
    );
    const html = await page.text();
    expect(page.status).toBe(400);
    expect(hasControlCharacters(html)).toBe(false);
    expect(html.length).toBeLessThan(4096);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/access_denied: denied/);
    expect(hasControlCharacters(stderr.trim())).toBe(false);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.length).toBeLessThan(1024);
  });

  it('an absurd client_id from registration is refused and stored nowhere', async () => {
    await api()['account.addOAuth']({ name: 'hugeid', mcpUrl: healthy.mcpUrl });
    healthy.setFault('huge-client-id');
    try {
      await expect(api()['account.login']({ name: 'hugeid' })).rejects.toThrow(
        /registration answer has a client_id of 100000 characters/,
      );
    } finally {
      healthy.setFault(null);
    }
    const o = kw.rt.service.ctx.store.current.accounts.find((a) => a.name === 'hugeid')!.oauth!;
    expect(o.clientId).toBeNull();
    const audit = await readFile(join(kw.dataDir, 'audit.jsonl'), 'utf8');
    expect(audit).not.toContain('c'.repeat(1000));
    expect(Math.max(...audit.split('\n').map((l) => l.length))).toBeLessThan(2048);
    // Fixable: a sane server lets the same account in.
    await loginWithBrowser(kw.rt, 'hugeid');
  });
});
