import { registerClient } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed } from '@modelcontextprotocol/sdk/shared/auth.js';
import { KeywayError } from '../../../shared/errors';
import type { OAuthServerFacts } from './oauth-discovery';

/**
 * A client ID metadata document must be served from an https URL the client controls. Keyway
 * runs on the user's machine and answers only on loopback http, so it has none to offer: with a
 * hosted document (e.g. https://keyway.dev/oauth/client-metadata.json) it would be used here
 * where the server advertises `client_id_metadata_document_supported`. Until then: dynamic
 * registration (RFC 7591).
 */
export const CLIENT_ID_METADATA_DOCUMENT_URL: string | null = null;

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | undefined;
  tokenEndpointAuthMethod: string | undefined;
}

/** The token endpoint authentication Keyway asks for: `none` (a public client) when allowed. */
function wantedAuthMethod(facts: OAuthServerFacts): string {
  const supported = facts.metadata?.token_endpoint_auth_methods_supported;
  if (!supported || supported.includes('none')) return 'none';
  return ['client_secret_basic', 'client_secret_post'].find((m) => supported.includes(m)) ?? 'none';
}

/** RFC 7591 dynamic registration through the MCP SDK; the secret, if any, goes to the keychain. */
export async function registerKeyway(
  facts: OAuthServerFacts,
  redirectUri: string,
  scopes: string[],
): Promise<RegisteredClient> {
  if (facts.metadata && !facts.metadata.registration_endpoint) {
    throw new KeywayError(
      'vendor_refused',
      `${facts.authorizationServerUrl} does not offer dynamic client registration; register Keyway there (redirect URI ${redirectUri}) and add the account with --client-id`,
    );
  }
  try {
    const info = await registerClient(facts.authorizationServerUrl, {
      metadata: facts.metadata,
      clientMetadata: {
        client_name: 'Keyway',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: wantedAuthMethod(facts),
      },
      scope: scopes.length > 0 ? scopes.join(' ') : undefined,
    });
    return {
      clientId: info.client_id,
      clientSecret: info.client_secret,
      tokenEndpointAuthMethod: info.token_endpoint_auth_method,
    };
  } catch (err) {
    const why = (err as Error).message;
    throw new KeywayError(
      'vendor_refused',
      facts.metadata
        ? `registering Keyway at ${facts.authorizationServerUrl} failed: ${why}`
        : `no OAuth metadata found for this MCP server (no protected resource metadata, no authorization server metadata at ${facts.authorizationServerUrl}), and registration at its default endpoint failed: ${why}`,
    );
  }
}

export function clientInformation(c: RegisteredClient): OAuthClientInformationMixed {
  return {
    client_id: c.clientId,
    ...(c.clientSecret !== undefined ? { client_secret: c.clientSecret } : {}),
    ...(c.tokenEndpointAuthMethod !== undefined
      ? { token_endpoint_auth_method: c.tokenEndpointAuthMethod }
      : {}),
  };
}
