import { currentVersion } from '../../../../shared/domain';
import { oauthKeyRef } from '../../oauth/oauth-secrets';
import { boundedScopes } from '../../oauth/oauth-scopes';
import { lookupAccount, lookupConnection, lookupKey } from '../../store/lookups';
import type { OAuthService } from '../oauth-accounts/oauth-service';
import type { ServiceContext } from '../service-context';

/** Refresh on the request path only when the token is this close to expiry (the timer missed). */
const LAZY_REFRESH_MS = 1_000;

/** The OAuth account behind a connection, when its key is an OAuth account's NAME/oauth. */
export function oauthAccountOf(ctx: ServiceContext, slug: string): string | undefined {
  const doc = ctx.store.current;
  const ref = lookupConnection(doc, slug)?.key;
  const key = ref === undefined ? undefined : lookupKey(doc, ref);
  if (!key || key.ref !== oauthKeyRef(key.account)) return undefined;
  return lookupAccount(doc, key.account)?.oauth ? key.account : undefined;
}

/** What a client is told when the vendor refuses an OAuth account's token: log in, not rotate. */
export function oauthRefusalAdvice(account: string): string {
  return `log in again: keyway account login ${account}`;
}

/** Before handing out the access token: refresh it if it has (nearly) expired. */
export async function oauthCurrentKey(oauth: OAuthService, account: string): Promise<void> {
  const doc = oauth.ctx.store.current;
  const o = lookupAccount(doc, account)?.oauth;
  if (o?.state !== 'signed-in' || !o.expiresAt) return;
  const key = lookupKey(doc, oauthKeyRef(account));
  const hasToken = key && currentVersion(key);
  if (hasToken && new Date(o.expiresAt).getTime() - oauth.ctx.now().getTime() > LAZY_REFRESH_MS)
    return;
  await oauth.refresh(account);
}

/**
 * The vendor refused the account's current access token (401) after the one renewal the proxy
 * allows. A refresh that keeps failing (server down) is the back-off's business; otherwise the
 * server no longer takes the session (revoked, or it moved to another authorization server):
 * only a new login helps, and the account says so.
 */
export async function oauthTokenRefused(oauth: OAuthService, account: string): Promise<void> {
  if (oauth.sessions.isFailing(account)) return;
  await oauth.needsLogin(
    account,
    `the server refused the access token; ${oauthRefusalAdvice(account)}`,
  );
}

/**
 * `403 insufficient_scope` from the MCP server: the next login must ask for the union of the
 * scopes held and the scopes the challenge names. That needs the user, so the account goes to
 * "needs login (more scopes: …)". The budget (per token version, a few per window) stops Keyway
 * asking a server that never agrees, without spending it for the life of the process.
 */
export async function oauthInsufficientScope(
  oauth: OAuthService,
  account: string,
  versionId: string,
  challenge: string,
): Promise<void> {
  if (!/error="?insufficient_scope/.test(challenge)) return;
  const wanted = boundedScopes(/scope="([^"]*)"/.exec(challenge)?.[1]);
  if (!oauth.sessions.allowStepUp(account, versionId)) return;
  await oauth.needsLogin(
    account,
    `the server wants more scopes (${wanted.join(' ') || 'unnamed'})`,
    wanted,
  );
}
