import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  exchangeAuthorization,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { LoginOutcome, LoginStarted } from '../../../../shared/contract';
import { KeywayError } from '../../../../shared/errors';
import { record } from '../../audit/audit-record';
import { openBrowser } from '../../oauth/browser-opener';
import type { PendingLogin } from '../../oauth/login-registry';
import { CALLBACK_PATH, sendCallbackPage } from '../../oauth/oauth-callback-page';
import { discoverOAuthServer, type OAuthServerFacts } from '../../oauth/oauth-discovery';
import { oauthFetch } from '../../oauth/oauth-fetch';
import {
  clientInformation,
  registerKeyway,
  type RegisteredClient,
} from '../../oauth/oauth-registration';
import { oauthKeyRef, oauthSecretNames } from '../../oauth/oauth-secrets';
import { untrustedError, untrustedText } from '../../untrusted-text';
import type { OAuthAccountInfo } from '../../../../shared/domain';
import type { OAuthService } from './oauth-service';

export { CALLBACK_PATH };

/**
 * The client to use at the authorization server `facts` names. Credentials belong to the
 * issuer they were made for (MCP 2026-07-28, SEP-2352): a pre-registered client is never sent
 * to another server (one clear refusal), a dynamic one is registered anew there.
 */
async function clientFor(
  oauth: OAuthService,
  name: string,
  facts: OAuthServerFacts,
  redirectUri: string,
  scopes: string[],
): Promise<{ client: RegisteredClient; isNew: boolean }> {
  const account = oauth.accountOrThrow(name);
  const o = account.oauth;
  const issuer = facts.authorizationServerUrl;
  if (o.clientSource === 'pre-registered') {
    if (o.issuer && o.issuer !== issuer)
      throw new KeywayError(
        'vendor_refused',
        `refused: the client ID of "${name}" was registered at ${o.issuer}, but its MCP server now names ${issuer} as its authorization server; Keyway does not send that client's credentials elsewhere (add the account again with a client registered at ${issuer})`,
      );
    return { client: await oauth.client(account), isNew: false };
  }
  if (o.clientSource === 'dynamic' && o.issuer === issuer && o.redirectUri === redirectUri) {
    const kept = await oauth.client(account).catch((err: unknown) => {
      oauth.ctx.log.debug(
        `could not read the registered client of "${name}"; registering anew`,
        err,
      );
      return undefined;
    });
    if (kept) return { client: kept, isNew: false };
  }
  // No client yet, another port, or another authorization server: register here. Kept in
  // memory until the login completes, so the account's current session keeps its own client.
  const client = await registerKeyway(facts, redirectUri, scopes);
  await record(oauth.ctx, {
    event: 'oauth.client-registered',
    key: null,
    client: null,
    account: name,
    detail: { clientId: client.clientId, issuer },
  });
  return { client, isNew: true };
}

/**
 * Starts a login: discovery (every time: the server's set-up may have changed), the client for
 * that authorization server, then an authorization URL with PKCE (S256), a fresh `state` and
 * the resource indicator. The verifier stays in memory. Nothing of the account changes until
 * the login completes.
 */
export async function startLogin(
  oauth: OAuthService,
  name: string,
  open: boolean,
): Promise<LoginStarted> {
  const ctx = oauth.ctx;
  const account = oauth.accountOrThrow(name);
  const base = ctx.runtime().baseUrl;
  if (!base) throw new KeywayError('unsupported', 'Keyway is not listening yet; try again');
  const redirectUri = `${base}${CALLBACK_PATH}`;
  const generation = oauth.sessions.generation(name);
  const facts = await failAudited(oauth, name, () => discoverOAuthServer(account.mcpUrl));
  const o = account.oauth;
  const scopes = [
    ...new Set([...(o.scopes.length > 0 ? o.scopes : facts.scopes), ...o.wantedScopes]),
  ];
  const { client, isNew } = await failAudited(oauth, name, () =>
    clientFor(oauth, name, facts, redirectUri, scopes),
  );
  const pending = oauth.logins.start({
    account: name,
    codeVerifier: '',
    redirectUri,
    scopes,
    generation,
    facts,
    client,
    clientIsNew: isNew,
  });
  const { authorizationUrl, codeVerifier } = await startAuthorization(
    facts.authorizationServerUrl,
    {
      metadata: facts.metadata,
      clientInformation: clientInformation(client),
      redirectUrl: redirectUri,
      scope: scopes.length > 0 ? scopes.join(' ') : undefined,
      state: pending.state,
      resource: facts.resource,
    },
  );
  pending.codeVerifier = codeVerifier;
  const authorize = authorizationUrl.href;
  await record(ctx, { event: 'oauth.login-started', key: null, client: null, account: name });
  let opened = false;
  if (open)
    opened = await openBrowser(authorize).then(
      () => true,
      () => false,
    );
  return { loginId: pending.loginId, authorize, opened };
}

export async function awaitLogin(
  oauth: OAuthService,
  name: string,
  loginId: string,
  waitMs: number,
): Promise<LoginOutcome> {
  const login = oauth.logins.byId(loginId);
  if (!login || login.account !== name)
    throw new KeywayError('not_found', `no login ${loginId} for account "${name}"`);
  const outcome = await oauth.logins.wait(login, waitMs);
  if (!outcome) return { done: false };
  if (!outcome.ok) return { done: true, ok: false, error: outcome.error };
  return { done: true, ok: true, account: oauth.accountOrThrow(name) };
}

/**
 * RFC 9207 (MCP 2026-07-28, SEP-2468): the `iss` of an authorization response is compared,
 * character for character, with the issuer Keyway recorded from the server's metadata — no URL
 * normalisation, so a trailing-slash variant is a mismatch. Missing where the server advertises
 * it: refused. Present where not advertised: compared all the same.
 */
export function issProblem(facts: OAuthServerFacts, iss: string | null): string | null {
  const expected = facts.metadata?.issuer;
  const advertised =
    (facts.metadata as { authorization_response_iss_parameter_supported?: boolean } | undefined)
      ?.authorization_response_iss_parameter_supported === true;
  if (iss === null)
    return advertised
      ? `the authorization response has no "iss" although ${expected} promises one (RFC 9207); it may come from another server`
      : null;
  if (expected !== undefined && iss === expected) return null;
  return `the authorization response names issuer ${untrustedText(iss, 120)}, not ${expected ?? 'the one Keyway used'} (RFC 9207); it may come from another server`;
}

/**
 * `GET /oauth/callback` on Keyway's own port (RFC 8252 loopback redirect). Only a `state` Keyway
 * issued and has not used yet gets in, once; anything else changes nothing.
 */
export async function handleCallback(
  oauth: OAuthService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const login = req.method === 'GET' ? oauth.logins.claim(params.get('state') ?? '') : undefined;
  if (!login) {
    return sendCallbackPage(
      res,
      400,
      'Sign-in not accepted',
      'This sign-in answer does not match a login Keyway started (wrong or reused state). Nothing was changed; start the login again from Keyway.',
    );
  }
  const fail = async (message: string) => {
    const safe = untrustedText(message, 600, [login.client.clientSecret]);
    oauth.logins.finish(login, { ok: false, error: safe });
    await record(oauth.ctx, {
      event: 'oauth.login-failed',
      key: null,
      client: null,
      account: login.account,
      detail: { message: untrustedText(safe, 300) },
    });
    sendCallbackPage(res, 400, 'Sign-in failed', safe);
  };
  const error = params.get('error');
  const code = params.get('code');
  const iss = issProblem(login.facts, params.get('iss'));
  if (iss) return fail(`refused: ${iss}; nothing was sent to its token endpoint`);
  if (error || !code) {
    const description = params.get('error_description');
    return fail(
      `the authorization server answered ${untrustedText(error ?? 'without a code', 80)}${description ? `: ${untrustedText(description, 300)}` : ''}`,
    );
  }
  try {
    const facts = login.facts;
    const tokens = await exchangeAuthorization(facts.authorizationServerUrl, {
      metadata: facts.metadata,
      clientInformation: clientInformation(login.client),
      authorizationCode: code,
      codeVerifier: login.codeVerifier,
      redirectUri: login.redirectUri,
      resource: facts.resource,
      fetchFn: oauthFetch,
    });
    const saved = await oauth.saveTokens(login.account, tokens, 'login', login.generation, (o) =>
      commitLogin(o, login),
    );
    if (!saved) {
      // The user logged out (or completed another login) while this one was out.
      await oauth.discard(facts, login.client, tokens);
      return fail(
        'the account was logged out while this sign-in was in progress; nothing was kept',
      );
    }
    await keepClientSecret(oauth, login);
    oauth.rememberFacts(facts);
    oauth.logins.finish(login, { ok: true });
    sendCallbackPage(
      res,
      200,
      'Signed in',
      `Keyway now holds the session of ${login.account} (${oauthKeyRef(login.account)}). You can close this tab.`,
    );
  } catch (err) {
    await fail(`the token exchange failed: ${untrustedError(err, 300, [code])}`);
  }
}

/** The login's server and client become the account's (in the store write of its tokens). */
function commitLogin(o: OAuthAccountInfo, login: PendingLogin): void {
  if (o.clientSource !== 'pre-registered') {
    o.clientId = login.client.clientId;
    o.clientSource = 'dynamic';
    o.hasClientSecret = login.client.clientSecret !== undefined;
    o.redirectUri = login.redirectUri;
  }
  o.issuer = login.facts.authorizationServerUrl;
  o.resource = login.facts.resource ?? null;
  if (o.scopes.length === 0) o.scopes = login.facts.scopes;
}

async function keepClientSecret(oauth: OAuthService, login: PendingLogin): Promise<void> {
  if (!login.clientIsNew) return;
  const name = oauthSecretNames.clientSecret(oauth.ctx.secretScope, login.account);
  if (login.client.clientSecret) await oauth.ctx.secrets.set(name, login.client.clientSecret);
  else await oauth.ctx.secrets.delete(name);
}

async function failAudited<T>(
  oauth: OAuthService,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await record(oauth.ctx, {
      event: 'oauth.login-failed',
      key: null,
      client: null,
      account: name,
      detail: { message: untrustedError(err) },
    });
    throw err;
  }
}

/** The one-line mount for Keyway's HTTP server: `GET /oauth/callback` → the running login. */
export function oauthCallbackRoute(
  oauth: OAuthService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  return handleCallback(oauth, req, res);
}
