import {
  signedOutOAuth,
  type Account,
  type Key,
  type OAuthAccountInfo,
} from '../../../../shared/domain';
import { oauthKeyRef } from '../../oauth/oauth-secrets';
import { assertSecureEndpoint } from '../../oauth/oauth-safety';
import { assertNewAccount } from '../../store/lookups';
import type { ServiceContext } from '../service-context';

/**
 * What a new OAuth account is made of, for both ways to add one (a person's browser login,
 * `oauth-handlers.ts`, and a service account's client credentials, `client-credentials-handlers.ts`):
 * the checks before anything is kept, the account and its NAME/oauth key, and the write.
 */

/** A free name and an MCP URL an access token may be sent to; throws in one line otherwise. */
export function checkNewOAuthAccount(ctx: ServiceContext, name: string, mcpUrl: string): void {
  assertNewAccount(ctx.store.current, name);
  assertSecureEndpoint(mcpUrl, 'MCP server URL');
}

export interface NewOAuthAccount {
  name: string;
  mcpUrl: string;
  serviceAccount: boolean;
  scopes: string[];
}

/**
 * The account (its OAuth facts from `oauth`, over a signed-out start) and its key, which exists
 * from the start with no version until the first token, so a connection can be added first.
 */
export function oauthAccountRecords(
  args: NewOAuthAccount,
  oauth: Partial<OAuthAccountInfo>,
  now: string,
): { account: Account; key: Key } {
  const account: Account = {
    name: args.name,
    vendor: 'custom',
    apiUrl: new URL('/', args.mcpUrl).href,
    mcpUrl: args.mcpUrl,
    serviceAccount: args.serviceAccount,
    hasCredential: false,
    credentialScopes: null,
    auth: { header: 'Authorization', prefix: 'Bearer ' },
    oauth: { ...signedOutOAuth(args.scopes), ...oauth },
    createdAt: now,
  };
  const key: Key = {
    ref: oauthKeyRef(args.name),
    account: args.name,
    name: 'oauth',
    vendor: 'custom',
    scopes: args.scopes,
    options: {},
    rotateEvery: null,
    createdAt: now,
    versions: [],
    refusedAt: null,
  };
  return { account, key };
}

/**
 * Keychain first (the client's secret or key, when there is one), then the store; a store
 * write that fails takes the secret back out, so nothing is left of an account never added.
 */
export async function saveOAuthAccount(
  ctx: ServiceContext,
  records: { account: Account; key: Key },
  secret?: { name: string; value: string },
): Promise<void> {
  if (secret) await ctx.secrets.set(secret.name, secret.value);
  try {
    await ctx.store.update((d) => {
      d.accounts.push(records.account);
      d.keys.push(records.key);
    });
  } catch (err) {
    if (secret) await ctx.secrets.delete(secret.name);
    throw err;
  }
}
