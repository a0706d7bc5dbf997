import type { ClientCredentialsInfo } from '../../../../shared/domain';
import { KeywayError } from '../../../../shared/errors';
import { privateKeyFromPem } from '../../oauth/client-assertion';
import {
  ClientCredentialRefused,
  chooseClientAuth,
  clientKeySecretName,
  requestClientCredentialsToken,
  type ClientProof,
} from '../../oauth/client-credentials-grant';
import { discoverOAuthServer } from '../../oauth/oauth-discovery';
import { oauthKeyRef, oauthSecretNames } from '../../oauth/oauth-secrets';
import { lookupAccount } from '../../store/lookups';
import {
  checkNewOAuthAccount,
  oauthAccountRecords,
  saveOAuthAccount,
} from '../oauth-accounts/oauth-account-records';
import {
  clientCredentialsToken,
  isClientCredentials,
} from '../oauth-accounts/client-credentials-token';
import { record, type Handlers, type ServiceContext } from '../service-context';

type Ops = 'account.addClientCredentials' | 'account.fetchToken' | 'account.rotateClientCredential';

/** The proof the user pasted; a PEM is parsed (and refused in one line) before anything else. */
function proofOf(input: { clientSecret?: string; privateKey?: string }): ClientProof {
  if (input.privateKey !== undefined) {
    const { key, alg } = privateKeyFromPem(input.privateKey);
    return { kind: 'private-key', key, alg };
  }
  return { kind: 'client-secret', secret: input.clientSecret ?? '' };
}

/** Where the secret or key lives, and the name of the other kind (emptied on a switch). */
function secretNamesFor(ctx: ServiceContext, name: string, kind: ClientProof['kind']) {
  const secret = oauthSecretNames.clientSecret(ctx.secretScope, name);
  const key = clientKeySecretName(ctx.secretScope, name);
  return kind === 'private-key' ? { mine: key, other: secret } : { mine: secret, other: key };
}

export function clientCredentialsHandlers(ctx: ServiceContext): Pick<Handlers, Ops> {
  const oauth = ctx.oauth;

  /**
   * Discovery, the server's grants and methods, then one token: the secret is proven before it
   * is kept. A secret refused with basic is tried once with post when the server offers both.
   */
  async function verify(mcpUrl: string, clientId: string, proof: ClientProof, scopes: string[]) {
    const facts = await discoverOAuthServer(mcpUrl);
    const candidates = chooseClientAuth(
      facts,
      proof.kind,
      proof.kind === 'private-key' ? proof.alg : null,
    );
    for (const [i, chosen] of candidates.entries()) {
      try {
        const tokens = await requestClientCredentialsToken(
          facts,
          { clientId, method: chosen.method, proof },
          scopes,
        );
        return { facts, chosen, tokens };
      } catch (err) {
        if (!(err instanceof ClientCredentialRefused) || i === candidates.length - 1) throw err;
      }
    }
    throw new KeywayError('vendor_refused', 'no client authentication left to try');
  }

  return {
    async 'account.addClientCredentials'(args) {
      checkNewOAuthAccount(ctx, args.name, args.mcpUrl);
      const proof = proofOf(args);
      const { facts, chosen, tokens } = await verify(
        args.mcpUrl,
        args.clientId,
        proof,
        args.scopes,
      );
      const now = ctx.now().toISOString();
      const clientCredentials: ClientCredentialsInfo = { ...chosen, credentialSetAt: now };
      const records = oauthAccountRecords(
        args,
        {
          // Signed in from the start: the first token is already in hand.
          state: 'signed-in',
          clientId: args.clientId,
          clientSource: 'pre-registered',
          hasClientSecret: proof.kind === 'client-secret',
          issuer: facts.authorizationServerUrl,
          resource: facts.resource ?? null,
          subject: args.clientId,
          clientCredentials,
        },
        now,
      );
      const names = secretNamesFor(ctx, args.name, proof.kind);
      await saveOAuthAccount(ctx, records, { name: names.mine, value: secretText(args) });
      oauth.rememberFacts(facts);
      await record(ctx, {
        event: 'account.added',
        key: records.key.ref,
        client: null,
        account: args.name,
        detail: {
          vendor: 'custom',
          auth: 'client-credentials',
          clientId: args.clientId,
          method: chosen.method,
          alg: chosen.alg,
          issuer: facts.authorizationServerUrl,
        },
      });
      await oauth.saveTokens(args.name, tokens, 'login', oauth.generationOf(args.name));
      return oauth.accountOrThrow(args.name);
    },

    async 'account.fetchToken'({ name }) {
      const account = oauth.accountOrThrow(name);
      if (!isClientCredentials(account))
        throw new KeywayError(
          'bad_input',
          `account "${name}" logs in through the browser; use keyway account login ${name}`,
          'name',
        );
      await clientCredentialsToken(oauth, name, 'login');
      return oauth.accountOrThrow(name);
    },

    async 'account.rotateClientCredential'(args) {
      const account = oauth.accountOrThrow(args.name);
      if (!isClientCredentials(account))
        throw new KeywayError(
          'bad_input',
          `account "${args.name}" is not a service account (--auth client-credentials)`,
          'name',
        );
      const previous =
        account.oauth.clientCredentials.method === 'private_key_jwt'
          ? 'private-key'
          : 'client-secret';
      const proof = proofOf(args);
      const o = account.oauth;
      // Proven before the swap: a new secret the server does not know yet changes nothing here.
      const { facts, chosen, tokens } = await verify(account.mcpUrl, o.clientId ?? '', proof, [
        ...new Set([...o.scopes, ...o.wantedScopes]),
      ]);
      const names = secretNamesFor(ctx, args.name, proof.kind);
      await ctx.secrets.set(names.mine, secretText(args));
      await ctx.secrets
        .delete(names.other)
        .catch((err: unknown) =>
          ctx.log.warn(`could not delete the unused client proof of "${args.name}"`, err),
        );
      const now = ctx.now().toISOString();
      await ctx.store.update((d) => {
        const a = lookupAccount(d, args.name)?.oauth;
        if (!a) throw new KeywayError('not_found', `no OAuth account "${args.name}"`);
        a.clientCredentials = { ...chosen, credentialSetAt: now };
        a.hasClientSecret = proof.kind === 'client-secret';
        a.issuer = facts.authorizationServerUrl;
        a.resource = facts.resource ?? null;
      });
      oauth.rememberFacts(facts);
      await record(ctx, {
        event: 'account.credential-rotated',
        key: oauthKeyRef(args.name),
        client: null,
        account: args.name,
        detail: { previous, method: chosen.method, alg: chosen.alg },
      });
      // The token the new secret got replaces the old one: the old secret has no live token left.
      await oauth.saveTokens(args.name, tokens, 'login', oauth.generationOf(args.name));
      return { account: oauth.accountOrThrow(args.name), previous };
    },
  };
}

function secretText(input: { clientSecret?: string; privateKey?: string }): string {
  return input.privateKey !== undefined ? input.privateKey.trim() : (input.clientSecret ?? '');
}
