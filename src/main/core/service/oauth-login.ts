import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  exchangeAuthorization,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { LoginOutcome, LoginStarted } from '../../../shared/contract';
import { KeywayError } from '../../../shared/errors';
import { openBrowser } from '../oauth/browser-opener';
import { sendCallbackPage } from '../oauth/oauth-callback-page';
import { discoverOAuthServer } from '../oauth/oauth-discovery';
import { clientInformation, registerKeyway } from '../oauth/oauth-registration';
import { oauthKeyRef, oauthSecretNames } from '../oauth/oauth-secrets';
import { oauthServiceFor, type OAuthService } from './oauth-service';
import { record, type ServiceContext } from './service-context';

export const CALLBACK_PATH = '/oauth/callback';

/**
 * Starts a login: discovery (every time: the server's set-up may have changed), registration
 * when Keyway has no client for this redirect URI yet, then an authorization URL with PKCE
 * (S256), a fresh `state` and the resource indicator. The verifier stays in memory.
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
  const facts = await failAudited(oauth, name, () => discoverOAuthServer(account.mcpUrl));
  oauth.rememberFacts(name, facts);
  const o = account.oauth;
  const scopes = [
    ...new Set([...(o.scopes.length > 0 ? o.scopes : facts.scopes), ...o.wantedScopes]),
  ];
  let client = await oauth.client(account).catch(() => undefined);
  const stale = o.clientSource === 'dynamic' && o.redirectUri !== redirectUri;
  if (
    !client ||
    stale ||
    (o.clientSource === 'dynamic' && o.issuer !== facts.authorizationServerUrl)
  ) {
    // A registered client is kept and reused; only a new redirect URI (another port) or another
    // authorization server needs a new one.
    client = await failAudited(oauth, name, () => registerKeyway(facts, redirectUri, scopes));
    const secretName = oauthSecretNames.clientSecret(ctx.secretScope, name);
    if (client.clientSecret) await ctx.secrets.set(secretName, client.clientSecret);
    else await ctx.secrets.delete(secretName);
    await record(ctx, {
      event: 'oauth.client-registered',
      key: null,
      client: null,
      account: name,
      detail: { clientId: client.clientId, issuer: facts.authorizationServerUrl },
    });
  }
  const registered = client;
  await ctx.store.update((doc) => {
    const a = doc.accounts.find((x) => x.name === name)?.oauth;
    if (!a) return;
    if (a.clientSource !== 'pre-registered') {
      a.clientId = registered.clientId;
      a.clientSource = 'dynamic';
      a.hasClientSecret = registered.clientSecret !== undefined;
      a.redirectUri = redirectUri;
    }
    a.issuer = facts.authorizationServerUrl;
    a.resource = facts.resource ?? null;
    if (a.scopes.length === 0) a.scopes = facts.scopes;
  });
  const pending = oauth.logins.start({
    account: name,
    codeVerifier: '',
    redirectUri,
    scopes,
  });
  const { authorizationUrl, codeVerifier } = await startAuthorization(
    facts.authorizationServerUrl,
    {
      metadata: facts.metadata,
      clientInformation: clientInformation(registered),
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
 * `GET /oauth/callback` on Keyway's own port (RFC 8252 loopback redirect). Only a `state` Keyway
 * issued and has not used yet gets in; anything else changes nothing.
 */
export async function handleCallback(
  oauth: OAuthService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const login = oauth.logins.claim(params.get('state') ?? '');
  if (req.method !== 'GET' || !login) {
    return sendCallbackPage(
      res,
      400,
      'Sign-in not accepted',
      'This sign-in answer does not match a login Keyway started (wrong or reused state). Nothing was changed; start the login again from Keyway.',
    );
  }
  const error = params.get('error');
  const code = params.get('code');
  const fail = async (message: string) => {
    oauth.logins.finish(login, { ok: false, error: message });
    await record(oauth.ctx, {
      event: 'oauth.login-failed',
      key: null,
      client: null,
      account: login.account,
      detail: { message: message.slice(0, 300) },
    });
    sendCallbackPage(res, 400, 'Sign-in failed', message);
  };
  if (error || !code) {
    const description = params.get('error_description');
    return fail(
      `the authorization server answered ${error ?? 'without a code'}${description ? `: ${description}` : ''}`,
    );
  }
  try {
    const account = oauth.accountOrThrow(login.account);
    const facts = await oauth.serverFacts(account);
    const tokens = await exchangeAuthorization(facts.authorizationServerUrl, {
      metadata: facts.metadata,
      clientInformation: clientInformation(await oauth.client(account)),
      authorizationCode: code,
      codeVerifier: login.codeVerifier,
      redirectUri: login.redirectUri,
      resource: facts.resource,
    });
    await oauth.saveTokens(login.account, tokens, 'login');
    oauth.logins.finish(login, { ok: true });
    sendCallbackPage(
      res,
      200,
      'Signed in',
      `Keyway now holds the session of ${login.account} (${oauthKeyRef(login.account)}). You can close this tab.`,
    );
  } catch (err) {
    await fail(`the token exchange failed: ${(err as Error).message}`);
  }
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
      detail: { message: (err as Error).message.slice(0, 300) },
    });
    throw err;
  }
}

/** The one-line mount for Keyway's HTTP server: `GET /oauth/callback` → the running login. */
export function oauthCallbackRoute(
  service: { ctx: ServiceContext },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  return handleCallback(oauthServiceFor(service.ctx), req, res);
}
