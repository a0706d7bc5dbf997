import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { KeywayError } from '../../../shared/errors';
import { untrustedError } from '../untrusted-text';
import { oauthFetch } from './oauth-fetch';
import { boundedScopes } from './oauth-scopes';
import {
  assertIssuerMatches,
  assertMetadataSafe,
  assertResourceMatches,
  assertSameOrigin,
  assertSecureEndpoint,
} from './oauth-safety';

/** What Keyway learns about an MCP server's OAuth set-up before a login. */
export interface OAuthServerFacts {
  authorizationServerUrl: string;
  /** Undefined only in the 2025-03-26 fallback (no metadata: default endpoints on the origin). */
  metadata: AuthorizationServerMetadata | undefined;
  /** The resource indicator (RFC 8707): the protected resource metadata's, when there is one. */
  resource: string | undefined;
  /** Scopes the server's 401 challenge named, else its `scopes_supported`, else none. */
  scopes: string[];
}

const PROBE_TIMEOUT_MS = 10_000;

/** The 401 an unauthenticated MCP request gets, with its `WWW-Authenticate` parameters. */
async function probeChallenge(
  mcpUrl: string,
): Promise<{ resourceMetadataUrl?: URL; scope?: string }> {
  // Some servers let `initialize` through and challenge the next request, so try both.
  for (const method of ['initialize', 'tools/list']) {
    const res = await oauthFetch(mcpUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': LATEST_PROTOCOL_VERSION,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method,
        params:
          method === 'initialize'
            ? {
                protocolVersion: LATEST_PROTOCOL_VERSION,
                capabilities: {},
                clientInfo: { name: 'keyway-oauth-probe', version: '1' },
              }
            : {},
      }),
      redirect: 'manual',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    }).catch((err: unknown) => {
      throw new KeywayError(
        'vendor_unavailable',
        `cannot reach the MCP server at ${mcpUrl}: ${untrustedError(err)}`,
      );
    });
    if (res.status === 401) return extractWWWAuthenticateParams(res);
  }
  return {};
}

/**
 * RFC 9728 protected resource metadata (from the challenge's `resource_metadata`, else the
 * well-known URIs, path-suffixed first), then RFC 8414 / OpenID discovery of its authorization
 * server, with the 2025-03-26 fallbacks — all by the MCP SDK — plus Keyway's own checks.
 */
export async function discoverOAuthServer(mcpUrl: string): Promise<OAuthServerFacts> {
  const challenge = await probeChallenge(mcpUrl);
  // The challenge names where the metadata is: the same https-unless-loopback rule as every
  // other OAuth URL, or a server could send Keyway to fetch it over plain http off this machine.
  if (challenge.resourceMetadataUrl)
    assertSecureEndpoint(challenge.resourceMetadataUrl.href, 'resource metadata URL');
  let prm: OAuthProtectedResourceMetadata | undefined;
  try {
    prm = await discoverOAuthProtectedResourceMetadata(
      mcpUrl,
      { resourceMetadataUrl: challenge.resourceMetadataUrl },
      oauthFetch,
    );
  } catch {
    // No RFC 9728 document: the 2025-03-26 behaviour, the MCP server's origin is the server.
  }
  if (prm) assertResourceMatches(prm.resource, mcpUrl);
  const authorizationServerUrl = prm?.authorization_servers?.[0] ?? new URL('/', mcpUrl).href;
  assertSecureEndpoint(authorizationServerUrl, 'address');
  let metadata: AuthorizationServerMetadata | undefined;
  try {
    metadata = await discoverAuthorizationServerMetadata(authorizationServerUrl, {
      fetchFn: oauthFetch,
    });
  } catch (err) {
    throw new KeywayError(
      'vendor_refused',
      `the authorization server metadata of ${authorizationServerUrl} is unusable: ${untrustedError(err)}`,
    );
  }
  if (metadata) {
    // RFC 8414 §3.3 where RFC 9728 named the server; the 2025-03-26 fallback (metadata at the
    // MCP server's origin) only promises an issuer on that same origin.
    if (prm) assertIssuerMatches(metadata, authorizationServerUrl);
    else assertSameOrigin(metadata.issuer, mcpUrl);
    assertMetadataSafe(metadata);
  } else if (prm) {
    throw new KeywayError(
      'vendor_refused',
      `no authorization server metadata at ${authorizationServerUrl} (neither OAuth nor OpenID discovery answered)`,
    );
  }
  const scopes = challenge.scope
    ? boundedScopes(challenge.scope)
    : boundedScopes((prm?.scopes_supported ?? []).join(' '));
  return { authorizationServerUrl, metadata, resource: prm?.resource, scopes };
}
