import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type {
  AuthorizationServerMetadata,
  OAuthMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { KeywayError } from '../../../shared/errors';

/**
 * Checks the MCP SDK's client auth module leaves to its caller: it follows whatever metadata it
 * finds. Keyway refuses metadata that would send the user's login or tokens somewhere else.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** OAuth 2.1 §1.5: every endpoint over TLS, except on the user's own machine. */
export function assertSecureEndpoint(value: string | undefined, what: string): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KeywayError('vendor_refused', `the authorization server's ${what} is not a URL`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url)) return;
  throw new KeywayError(
    'vendor_refused',
    `refused: the authorization server's ${what} (${url.origin}) is not https and not on this machine; an OAuth endpoint off loopback must use https`,
  );
}

/** RFC 8414 §3.3: the issuer in the metadata is the URL the metadata was fetched for. */
export function assertIssuerMatches(
  metadata: AuthorizationServerMetadata,
  authorizationServerUrl: string,
): void {
  if (sameUrl(metadata.issuer, authorizationServerUrl)) return;
  throw new KeywayError(
    'vendor_refused',
    `refused: the authorization server metadata at ${authorizationServerUrl} names another issuer (${metadata.issuer}); it may be an impostor or misconfigured`,
  );
}

/** Without protected resource metadata, the issuer must at least live on the MCP server's origin. */
export function assertSameOrigin(issuer: string, mcpUrl: string): void {
  if (URL.canParse(issuer) && new URL(issuer).origin === new URL(mcpUrl).origin) return;
  throw new KeywayError(
    'vendor_refused',
    `refused: the authorization server metadata at ${new URL(mcpUrl).origin} names an issuer on another origin (${issuer})`,
  );
}

/** RFC 9728 §3.3: the metadata's resource is the MCP server it was fetched for. */
export function assertResourceMatches(resource: string, mcpUrl: string): void {
  if (checkResourceAllowed({ requestedResource: mcpUrl, configuredResource: resource })) return;
  throw new KeywayError(
    'vendor_refused',
    `refused: the protected resource metadata is for ${resource}, not for this MCP server (${mcpUrl})`,
  );
}

export function assertMetadataSafe(metadata: AuthorizationServerMetadata): void {
  assertSecureEndpoint(metadata.issuer, 'issuer');
  assertSecureEndpoint(metadata.authorization_endpoint, 'authorization endpoint');
  assertSecureEndpoint(metadata.token_endpoint, 'token endpoint');
  assertSecureEndpoint(metadata.registration_endpoint, 'registration endpoint');
  const revocation = (metadata as Partial<OAuthMetadata>).revocation_endpoint;
  assertSecureEndpoint(revocation, 'revocation endpoint');
}

function sameUrl(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/\/+$/, '');
  return strip(a) === strip(b);
}
