import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** JSON-RPC codes the proxy uses for its own refusals (the SDK uses -32001 for unknown sessions). */
export const PROXY_ERROR = -32000;
export const SESSION_NOT_FOUND = -32001;

export interface Refusal {
  status: number;
  message: string;
  code?: number;
  headers?: OutgoingHttpHeaders;
}

/**
 * Answers with a JSON-RPC-shaped error so MCP clients show `message` to the user. Never put a
 * secret in `message`: it reaches the client and, through it, possibly a log.
 */
export function refuse(res: ServerResponse, refusal: Refusal): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    jsonrpc: '2.0',
    error: { code: refusal.code ?? PROXY_ERROR, message: refusal.message },
    id: null,
  });
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...refusal.headers,
  });
  res.end(body);
}

function hostAllowed(host: string, allowed: string[]): boolean {
  if (allowed.includes(host)) return true;
  const wanted = host.toLowerCase();
  const bare = wanted.replace(/:\d+$/, '');
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return e === wanted || (!/:\d+$/.test(e) && e === bare);
  });
}

/**
 * The DNS-rebinding defence: a page on evil.example that resolves to 127.0.0.1 still sends its
 * own Host and Origin, so both must name this proxy. Non-browser clients send no Origin.
 */
export function checkHostAndOrigin(req: IncomingMessage, allowed: string[]): Refusal | undefined {
  const host = req.headers.host;
  if (!host || !hostAllowed(host, allowed)) {
    return {
      status: 421,
      message: `Host "${host ?? ''}" is not this Keyway proxy; connect to ${allowed[0] ?? '127.0.0.1'} directly`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      const url = new URL(origin);
      if (url.protocol === 'http:' || url.protocol === 'https:') originHost = url.host;
    } catch {
      originHost = undefined;
    }
    if (!originHost || !hostAllowed(originHost, allowed)) {
      return {
        status: 403,
        message: `Requests from the web page origin "${origin}" are refused: the Keyway proxy only serves local AI clients`,
      };
    }
  }
  return undefined;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function unauthorized(slug: string, hadToken: boolean): Refusal {
  return {
    status: 401,
    code: PROXY_ERROR,
    message: hadToken
      ? `The local token is not valid for Keyway connection "${slug}" (unknown or revoked client)`
      : `Keyway connection "${slug}" needs a local client token: send "Authorization: Bearer <token>"`,
    headers: {
      // RFC 6750: no error code when the request simply lacked credentials.
      'www-authenticate': hadToken
        ? 'Bearer realm="keyway", error="invalid_token", error_description="unknown or revoked local token"'
        : 'Bearer realm="keyway"',
    },
  };
}
