import { currentVersion } from '../../../shared/domain';
import { oauthKeyRef } from '../oauth/oauth-secrets';
import { oauthServiceFor } from './oauth-service';
import type { ServiceContext } from './service-context';

/** Refresh on the request path only when the token is this close to expiry (the timer missed). */
const LAZY_REFRESH_MS = 1_000;

/** The OAuth account behind a connection, when its key is an OAuth account's NAME/oauth. */
export function oauthAccountOf(ctx: ServiceContext, slug: string): string | undefined {
  const doc = ctx.store.current;
  const ref = doc.connections.find((c) => c.slug === slug)?.key;
  const key = ref && doc.keys.find((k) => k.ref === ref);
  if (!key || key.ref !== oauthKeyRef(key.account)) return undefined;
  return doc.accounts.find((a) => a.name === key.account)?.oauth ? key.account : undefined;
}

/** Before handing out the access token: refresh it if it has (nearly) expired. */
export async function oauthCurrentKey(ctx: ServiceContext, account: string): Promise<void> {
  const doc = ctx.store.current;
  const o = doc.accounts.find((a) => a.name === account)?.oauth;
  if (o?.state !== 'signed-in' || !o.expiresAt) return;
  const key = doc.keys.find((k) => k.ref === oauthKeyRef(account));
  const hasToken = key && currentVersion(key);
  if (hasToken && new Date(o.expiresAt).getTime() - ctx.now().getTime() > LAZY_REFRESH_MS) return;
  await oauthServiceFor(ctx).refresh(account);
}

/** The vendor said 401 to `versionId`: one shared refresh, then the proxy retries once. */
export function oauthRenewKey(
  ctx: ServiceContext,
  account: string,
  versionId: string,
): Promise<boolean> {
  return oauthServiceFor(ctx).renew(account, versionId);
}

/** How many step-up logins Keyway asks for in a row before it stops (a server that never agrees). */
const MAX_STEP_UPS = 3;
const stepUps = new WeakMap<ServiceContext, Map<string, number>>();

/**
 * `403 insufficient_scope` from the MCP server: the next login must ask for the union of the
 * scopes held and the scopes the challenge names. That needs the user, so the account goes to
 * "needs login (more scopes: …)"; after MAX_STEP_UPS in a row Keyway stops asking.
 */
export async function oauthInsufficientScope(
  ctx: ServiceContext,
  account: string,
  challenge: string,
): Promise<void> {
  if (!/error="?insufficient_scope/.test(challenge)) return;
  const wanted = /scope="([^"]*)"/.exec(challenge)?.[1]?.split(' ').filter(Boolean) ?? [];
  const counts = stepUps.get(ctx) ?? new Map<string, number>();
  stepUps.set(ctx, counts);
  const n = (counts.get(account) ?? 0) + 1;
  counts.set(account, n);
  if (n > MAX_STEP_UPS) return;
  await oauthServiceFor(ctx).needsLogin(
    account,
    `the server wants more scopes (${wanted.join(' ') || 'unnamed'})`,
    wanted,
  );
}
