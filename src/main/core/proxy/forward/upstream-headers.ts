import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ProxyKey, ProxyRoute } from '../proxy-backend';
import type { UpstreamHeaders, VendorHeaders } from './upstream-http';

/**
 * An allowlist, not a denylist: whatever a client sends that is not here (cookies, its local
 * token, Origin, Referer, forwarding headers, proxy headers) can never reach the vendor.
 */
const REQUEST_HEADERS = new Set([
  'accept',
  'content-type',
  'content-length',
  'mcp-protocol-version',
  'last-event-id',
  'user-agent',
]);

/**
 * Hop-by-hop headers, and vendor headers that mean something only between Keyway and the vendor
 * or that would act on Keyway's own origin in a browser. The client sees the vendor's answer as
 * coming from `http://127.0.0.1:PORT`, the origin of the web UI and control API too:
 * - CORS (`Access-Control-*`, `Timing-Allow-Origin`): a vendor's `Access-Control-Allow-Origin: *`
 *   would let any web page read the proxy's answers; Keyway answers no browser origin at all.
 * - `Set-Cookie`: cookies ignore ports, so a vendor cookie would be sent to every service on
 *   127.0.0.1 (Keyway's UI included); Keyway never sends cookies to the vendor either.
 * - `Clear-Site-Data`, `Refresh`, `Location`: they would wipe Keyway's origin or send the client
 *   elsewhere; a redirect is refused before it gets here.
 * `Strict-Transport-Security` is dropped as meaningless over plain loopback HTTP (harmless);
 * other security headers (`Content-Security-Policy`, `Cross-Origin-*-Policy`) only restrict and pass.
 */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'proxy-authenticate',
  'set-cookie',
  'set-cookie2',
  'www-authenticate',
  'location',
  'alt-svc',
  'strict-transport-security',
  'mcp-session-id',
  'timing-allow-origin',
  'clear-site-data',
  'refresh',
]);

/** Every CORS response header, present and future (`Access-Control-Allow-Origin`, `-Expose-Headers`, …). */
const CORS_PREFIX = 'access-control-';

export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  route: ProxyRoute,
  key: ProxyKey,
  upstreamSessionId: string | undefined,
  overrides?: Record<string, string | undefined>,
): UpstreamHeaders {
  const out: UpstreamHeaders = {};
  // One pass, no arrays: this runs for every forwarded request.
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    // Future MCP headers (`Mcp-*`) pass; the session id is the proxy's to translate.
    if (REQUEST_HEADERS.has(name) || (name.startsWith('mcp-') && name !== 'mcp-session-id'))
      out[name] = value;
  }
  if (upstreamSessionId !== undefined) out['mcp-session-id'] = upstreamSessionId;
  if (overrides) {
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) delete out[name];
      else out[name] = value;
    }
  }
  return withKey(out, route, key);
}

/** A key about to go to an origin that is not its own: nothing is sent. */
export class KeyOriginRefused extends Error {}

/**
 * The one place a vendor key is put on a request: every upstream request the proxy makes (the
 * client's, a re-open's replay, a DELETE, a legacy stream or post) gets its headers from here.
 * A key goes only to its own origin (`ProxyKey.origin`), whatever the route says.
 */
export function withKey(
  headers: UpstreamHeaders,
  route: ProxyRoute,
  key: ProxyKey,
): UpstreamHeaders {
  if (route.upstream.origin !== key.origin) {
    throw new KeyOriginRefused(
      `Keyway did not send the key of connection "${route.slug}" to ${route.upstream.origin}: the key's account is at ${key.origin}. Point the connection at it, or set this upstream explicitly for this key (keyway connection update ${route.slug} --upstream URL)`,
    );
  }
  headers[route.auth.header.toLowerCase()] = route.auth.prefix + key.secret;
  return headers;
}

export function clientResponseHeaders(
  upstream: VendorHeaders,
  clientSessionId: string | undefined,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name) || name.startsWith(CORS_PREFIX))
      continue;
    out[name] = value;
  }
  if (clientSessionId !== undefined) out['mcp-session-id'] = clientSessionId;
  return out;
}
