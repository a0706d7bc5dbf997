import { registerClient } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed } from '@modelcontextprotocol/sdk/shared/auth.js';
import { KeywayError } from '../../../shared/errors';
import { hasControlCharacters, untrustedError, untrustedText } from '../untrusted-text';
import type { OAuthServerFacts } from './oauth-discovery';
import { oauthFetch } from './oauth-fetch';

/**
 * Longest client ID / secret Keyway accepts from a registration answer. Real ones are tens of
 * characters; a megabyte one would be written to the store on every refresh and into the audit.
 */
export const MAX_CLIENT_ID_CHARS = 512;
export const MAX_CLIENT_SECRET_CHARS = 4096;

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

/**
 * RFC 7591 dynamic registration through the MCP SDK; the secret, if any, goes to the keychain.
 * Not a client ID metadata document, even where a server supports one: that must be served from
 * an https URL the client controls, and Keyway answers only on loopback http.
 */
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
  // MCP 2026-07-28 (SEP-837): a desktop app with a loopback redirect is a native client. (The
  // SDK's metadata type predates the field; it sends the object as given.)
  const clientMetadata = {
    client_name: 'Keyway',
    application_type: 'native',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: wantedAuthMethod(facts),
  };
  try {
    const info = await registerClient(facts.authorizationServerUrl, {
      metadata: facts.metadata,
      clientMetadata,
      scope: scopes.length > 0 ? scopes.join(' ') : undefined,
      fetchFn: oauthFetch,
    });
    assertSaneRegistration(info.client_id, info.client_secret);
    return {
      clientId: info.client_id,
      clientSecret: info.client_secret,
      tokenEndpointAuthMethod: info.token_endpoint_auth_method,
    };
  } catch (err) {
    if (err instanceof KeywayError) throw err;
    const why = untrustedError(err);
    throw new KeywayError(
      'vendor_refused',
      facts.metadata
        ? `registering Keyway at ${facts.authorizationServerUrl} failed: ${why}`
        : `no OAuth metadata found for this MCP server (no protected resource metadata, no authorization server metadata at ${facts.authorizationServerUrl}), and registration at its default endpoint failed: ${why}`,
    );
  }
}

function assertSaneRegistration(clientId: string, clientSecret: string | undefined): void {
  const absurd =
    clientId.length === 0 || clientId.length > MAX_CLIENT_ID_CHARS
      ? `a client_id of ${clientId.length} characters`
      : hasControlCharacters(clientId)
        ? `a client_id with control characters (${untrustedText(clientId, 60)})`
        : (clientSecret?.length ?? 0) > MAX_CLIENT_SECRET_CHARS
          ? `a client_secret of ${clientSecret!.length} characters`
          : null;
  if (absurd)
    throw new KeywayError(
      'vendor_refused',
      `refused: the authorization server's registration answer has ${absurd}; Keyway keeps nothing of it`,
    );
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
