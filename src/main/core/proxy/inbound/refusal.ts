import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { checkHostAndOrigin } from '../../http/request-guards';
import type { RefusalCause } from '../../../../shared/contract';
import type { RpcId } from '../../../../shared/mcp/messages';
import { PROXY_ERROR, rpcErrorJson } from '../../../../shared/mcp/messages';

/** An answer the proxy gives itself instead of the vendor's. */
export interface Refusal {
  status: number;
  message: string;
  code?: number;
  headers?: OutgoingHttpHeaders;
  /** When Keyway refuses for a reason the user should see counted (the overview's numbers). */
  cause?: RefusalCause;
}

/** The JSON-RPC requests a body carries, known once it is read (parsed only when asked). */
export interface Answering {
  ids: () => RpcId[];
  /** The body was a batch (MCP 2025-03-26): the answer is one, too. */
  batch: boolean;
}

/**
 * Answers with a JSON-RPC-shaped error so MCP clients show `message` to the user. When the body
 * was read, the error answers its request by id, a batch's requests each by its own (JSON-RPC
 * keeps `id: null` for a request whose id cannot be known: an unread or unparseable body).
 */
export function refuse(res: ServerResponse, refusal: Refusal, answering?: Answering): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = refusalBody(refusal, answering);
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...refusal.headers,
  });
  res.end(body);
}

function refusalBody(refusal: Refusal, answering: Answering | undefined): string {
  const code = refusal.code ?? PROXY_ERROR;
  const ids = answering?.ids() ?? [];
  if (answering?.batch && ids.length > 0)
    return `[${ids.map((id) => rpcErrorJson(id, refusal.message, code)).join(',')}]`;
  return rpcErrorJson(ids.length === 1 ? ids[0]! : null, refusal.message, code);
}

/**
 * The shared loopback guard (core/http/request-guards.ts), answered the proxy's way: a foreign
 * Host (DNS rebinding) or a web page's Origin is 403, with a JSON-RPC body MCP clients show. The
 * server hands every `/mcp/<slug>` request here unguarded, so this is the one answer there.
 */
export function guardRefusal(req: IncomingMessage, allowed: string[]): Refusal | undefined {
  const refusal = checkHostAndOrigin(req, allowed);
  if (!refusal) return undefined;
  if (refusal.failed === 'origin') {
    return {
      status: 403,
      message: `Requests from the web page origin "${req.headers.origin ?? ''}" are refused: the Keyway proxy only serves local AI clients`,
    };
  }
  return {
    status: 403,
    message: `Host "${req.headers.host ?? ''}" is not this Keyway proxy (DNS-rebinding protection); connect to ${allowed[0] ?? '127.0.0.1'} directly`,
  };
}

export function unauthorized(slug: string, hadToken: boolean): Refusal {
  return {
    status: 401,
    code: PROXY_ERROR,
    message: hadToken
      ? `The local token is not valid for Keyway connection "${slug}" (unknown or revoked client)`
      : `Keyway connection "${slug}" needs a local client token: send "Authorization: Bearer <token>"`,
    headers: {
      // RFC 6750: no error code when the request simply lacked credentials. No
      // `resource_metadata`: Keyway is not an OAuth resource server, and naming one sends
      // clients into a discovery that can only fail.
      'www-authenticate': hadToken
        ? 'Bearer realm="keyway", error="invalid_token", error_description="unknown or revoked local token"'
        : 'Bearer realm="keyway"',
    },
  };
}
