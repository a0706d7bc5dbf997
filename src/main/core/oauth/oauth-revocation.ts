import { selectClientAuthMethod } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { clientInformation, type RegisteredClient } from './oauth-registration';
import { assertSecureEndpoint } from './oauth-safety';
import { oauthFetch } from './oauth-fetch';

/**
 * RFC 7009 token revocation, where the server has an endpoint. The SDK has no helper for it;
 * client authentication follows the SDK's own choice of method for the token endpoint.
 * Resolves true when the server accepted the revocation.
 */
export async function revokeToken(
  metadata: AuthorizationServerMetadata | undefined,
  client: RegisteredClient,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<boolean> {
  // OpenID discovery documents carry it too; the SDK's OIDC type just does not list it.
  const m = metadata as Partial<OAuthMetadata> | undefined;
  const endpoint = m?.revocation_endpoint;
  if (!endpoint) return false;
  assertSecureEndpoint(endpoint, 'revocation endpoint');
  const body = new URLSearchParams({ token, token_type_hint: hint });
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const method = selectClientAuthMethod(
    clientInformation(client),
    m.revocation_endpoint_auth_methods_supported ?? m.token_endpoint_auth_methods_supported ?? [],
  );
  if (method === 'client_secret_basic' && client.clientSecret !== undefined) {
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    body.set('client_id', client.clientId);
    if (method === 'client_secret_post' && client.clientSecret !== undefined)
      body.set('client_secret', client.clientSecret);
  }
  const res = await oauthFetch(endpoint, { method: 'POST', headers, body });
  return res.ok;
}
