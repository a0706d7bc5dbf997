import type { KeyObject } from 'node:crypto';
import { fetchToken, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ClientCredentialsInfo } from '../../../shared/domain';
import { KeywayError } from '../../../shared/errors';
import { JWT_BEARER_ASSERTION, signClientAssertion, type AssertionAlg } from './client-assertion';
import type { OAuthServerFacts } from './oauth-discovery';

/**
 * The client credentials grant (OAuth 2.1 §4.2, the MCP extension
 * `io.modelcontextprotocol/oauth-client-credentials`, SEP-1046) through the MCP SDK's token
 * request (`fetchToken`): the same request code, resource indicator and error parsing as the
 * interactive login, with Keyway choosing the client authentication from the server's metadata.
 */

export type ClientProof =
  | { kind: 'client-secret'; secret: string }
  | { kind: 'private-key'; key: KeyObject; alg: AssertionAlg };

/** Keychain entry of a service account's PEM private key (the secret reuses oauth-client:). */
export function clientKeySecretName(dataDirId: string, account: string): string {
  return `oauth-client-key:${dataDirId}:${account}`;
}

/**
 * What the server's metadata allows, checked before any secret is sent: the grant itself, a
 * client authentication Keyway can do with what the user gave, and (private_key_jwt) the key's
 * algorithm. Metadata that leaves a field out means the RFC 8414 default.
 */
export function chooseClientAuth(
  facts: OAuthServerFacts,
  proof: ClientProof['kind'],
  alg: AssertionAlg | null,
): Array<Pick<ClientCredentialsInfo, 'method' | 'alg'>> {
  const where = facts.authorizationServerUrl;
  const m = facts.metadata;
  const grants = m?.grant_types_supported ?? ['authorization_code', 'implicit'];
  if (!grants.includes('client_credentials'))
    throw new KeywayError(
      'vendor_refused',
      `the authorization server ${where} does not offer the client credentials grant (it offers ${grants.join(', ')}); use --auth oauth and log in instead`,
    );
  const methods = m?.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  if (proof === 'client-secret') {
    // Both when both are offered, basic first (RFC 6749 §2.3.1): a server holds each client to
    // the one it was registered with, and says invalid_client to the other.
    const usable = (['client_secret_basic', 'client_secret_post'] as const).filter((x) =>
      methods.includes(x),
    );
    if (usable.length === 0)
      throw new KeywayError(
        'vendor_refused',
        `the authorization server ${where} takes no client secret (it accepts ${methods.join(', ')}); ${methods.includes('private_key_jwt') ? 'use --private-key-stdin' : 'Keyway cannot authenticate there'}`,
      );
    return usable.map((method) => ({ method, alg: null }));
  }
  if (!methods.includes('private_key_jwt'))
    throw new KeywayError(
      'vendor_refused',
      `the authorization server ${where} does not accept private_key_jwt (it accepts ${methods.join(', ')}); use --client-secret-stdin`,
    );
  const algs = m?.token_endpoint_auth_signing_alg_values_supported;
  if (alg && algs && !algs.includes(alg))
    throw new KeywayError(
      'vendor_refused',
      `the authorization server ${where} accepts client assertions signed with ${algs.join(', ')}, not ${alg} (the algorithm of this ${alg === 'ES256' ? 'EC P-256' : 'RSA'} key); register a key of a type it accepts`,
    );
  return [{ method: 'private_key_jwt', alg }];
}

/** One token request with the client credentials grant; errors are one line without secrets. */
export async function requestClientCredentialsToken(
  facts: OAuthServerFacts,
  client: { clientId: string; method: ClientCredentialsInfo['method']; proof: ClientProof },
  scopes: string[],
): Promise<OAuthTokens> {
  const { proof } = client;
  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return undefined;
    },
    clientMetadata: {
      redirect_uris: [],
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: client.method,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    },
    clientInformation: () => ({
      client_id: client.clientId,
      issuer: facts.authorizationServerUrl,
      ...(proof.kind === 'client-secret'
        ? { client_secret: proof.secret, token_endpoint_auth_method: client.method }
        : {}),
    }),
    tokens: () => undefined,
    saveTokens: () => undefined,
    redirectToAuthorization: () => {
      throw new Error('the client credentials grant has no browser step');
    },
    saveCodeVerifier: () => undefined,
    codeVerifier: () => {
      throw new Error('the client credentials grant has no code verifier');
    },
    prepareTokenRequest: (scope) =>
      new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
    ...(proof.kind === 'private-key'
      ? {
          // Signed per request: a fresh jti each time, so a server that remembers jtis never
          // sees one twice, and nothing long-lived is ever built from the key.
          addClientAuthentication: async (_headers: Headers, params: URLSearchParams) => {
            params.set(
              'client_assertion',
              await signClientAssertion({
                clientId: client.clientId,
                audience: facts.metadata?.issuer ?? facts.authorizationServerUrl,
                key: proof.key,
                alg: proof.alg,
              }),
            );
            params.set('client_assertion_type', JWT_BEARER_ASSERTION);
          },
        }
      : {}),
  };
  try {
    return await fetchToken(provider, facts.authorizationServerUrl, {
      metadata: facts.metadata,
      resource: facts.resource,
    });
  } catch (err) {
    throw tokenRequestError(err, facts, proof.kind);
  }
}

function tokenRequestError(err: unknown, facts: OAuthServerFacts, kind: ClientProof['kind']) {
  const where = facts.authorizationServerUrl;
  if (err instanceof OAuthError) {
    const said = `${err.errorCode}${err.message && err.message !== err.errorCode ? `: ${err.message}` : ''}`;
    if (err.errorCode === 'invalid_client' || err.errorCode === 'unauthorized_client')
      return new ClientCredentialRefused(
        'vendor_refused',
        `the authorization server ${where} refused the ${kind === 'client-secret' ? 'client id or secret' : 'client id or the key’s signature'} (${said.slice(0, 200)})`,
      );
    return new KeywayError(
      'vendor_refused',
      `the authorization server ${where} refused the token request (${said.slice(0, 200)})`,
    );
  }
  return new KeywayError(
    'vendor_unavailable',
    `the token request to ${where} failed: ${((err as Error).message || 'unknown error').slice(0, 200)}`,
  );
}

/** invalid_client / unauthorized_client: the secret or key is wrong or revoked; a retry won't help. */
export class ClientCredentialRefused extends KeywayError {}
