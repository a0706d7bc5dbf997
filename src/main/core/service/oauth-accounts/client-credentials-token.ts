import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Account, OAuthAccountInfo } from '../../../../shared/domain';
import { KeywayError } from '../../../../shared/errors';
import { privateKeyFromPem } from '../../oauth/client-assertion';
import {
  ClientCredentialRefused,
  clientKeySecretName,
  requestClientCredentialsToken,
  type ClientProof,
} from '../../oauth/client-credentials-grant';
import type { OAuthServerFacts } from '../../oauth/oauth-discovery';
import { oauthKeyRef, oauthSecretNames } from '../../oauth/oauth-secrets';
import { record } from '../../audit/audit-record';
import { lookupAccount } from '../../store/lookups';
import type { OAuthContext } from './oauth-context';

/** What a token fetch needs of the OAuth service (its refresher owns timers and single flight). */
export interface TokenKeeper {
  readonly ctx: OAuthContext;
  serverFacts(account: Account): Promise<OAuthServerFacts>;
  /** The account's generation now: tokens fetched for an older one (a logout came) are dropped. */
  generationOf(name: string): number;
  saveTokens(
    name: string,
    tokens: OAuthTokens,
    how: 'login' | 'refresh',
    generation: number,
  ): Promise<boolean>;
  needsLogin(name: string, reason: string, wantedScopes?: string[]): Promise<void>;
  schedule(name: string, inMs?: number): void;
}

const TRANSIENT_RETRY_MS = 10_000;

export function isClientCredentials(
  account: Account | undefined,
): account is Account & { oauth: OAuthAccountInfo & { clientCredentials: object } } {
  return account?.oauth?.clientCredentials !== undefined;
}

/** The secret or key of a service account, read from the keychain for one request. */
export async function clientProofOf(ctx: OAuthContext, account: Account): Promise<ClientProof> {
  const cc = account.oauth?.clientCredentials;
  if (!cc) throw new KeywayError('bad_input', `account "${account.name}" is not a service account`);
  if (cc.method === 'private_key_jwt') {
    const pem = await ctx.secrets.get(clientKeySecretName(ctx.secretScope, account.name));
    if (!pem) throw missing(account.name, 'private key');
    const { key, alg } = privateKeyFromPem(pem);
    return { kind: 'private-key', key, alg };
  }
  const secret = await ctx.secrets.get(
    oauthSecretNames.clientSecret(ctx.secretScope, account.name),
  );
  if (!secret) throw missing(account.name, 'client secret');
  return { kind: 'client-secret', secret };
}

function missing(name: string, what: string): KeywayError {
  return new KeywayError(
    'conflict',
    `the ${what} of "${name}" is not in the OS keychain; give it again with keyway account rotate-credential ${name}`,
  );
}

/**
 * A new access token by the client credentials grant: the refresher's work for a service account
 * (called inside its single flight). Returns false instead of throwing, like a refresh: a refused
 * secret or key stops the renewals (state "needs login" with the reason, no retry loop); a server
 * that cannot be reached is tried again in ten seconds. `how` = 'login' throws instead, so
 * `account login` and the UI show the reason.
 */
export async function clientCredentialsToken(
  keeper: TokenKeeper,
  name: string,
  how: 'login' | 'refresh',
): Promise<boolean> {
  const ctx = keeper.ctx;
  const account = lookupAccount(ctx.store.current, name);
  if (!isClientCredentials(account)) return false;
  const o = account.oauth;
  const generation = keeper.generationOf(name);
  try {
    const facts = await keeper.serverFacts(account);
    const tokens = await requestClientCredentialsToken(
      facts,
      {
        clientId: o.clientId ?? '',
        method: o.clientCredentials.method,
        proof: await clientProofOf(ctx, account),
      },
      [...new Set([...o.scopes, ...o.wantedScopes])],
    );
    return await keeper.saveTokens(name, tokens, how, generation);
  } catch (err) {
    const why = (err as Error).message;
    if (err instanceof ClientCredentialRefused) await keeper.needsLogin(name, why);
    else {
      await record(ctx, {
        event: 'oauth.refresh-failed',
        key: oauthKeyRef(name),
        client: null,
        account: name,
        detail: { message: why.slice(0, 300) },
      });
      if (how === 'refresh') keeper.schedule(name, TRANSIENT_RETRY_MS);
    }
    if (how === 'login') throw err;
    return false;
  }
}

/** `account.login` (the browser flow) on a service account: refused with what to do instead. */
export function refuseBrowserLogin(ctx: OAuthContext, name: string): void {
  const account = lookupAccount(ctx.store.current, name);
  if (isClientCredentials(account))
    throw new KeywayError(
      'bad_input',
      `account "${name}" is a service account (client credentials): it needs no browser; keyway account login ${name} gets a new token`,
      'name',
    );
}
