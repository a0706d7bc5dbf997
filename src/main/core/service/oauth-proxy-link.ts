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
