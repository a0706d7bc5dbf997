import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpCaller, SandboxMcpEndpointOptions } from './types';
import { sendJson } from '../sandbox-http';

/** The SDK reads `req.auth` and hands it to every handler as `extra.authInfo`. */
export type AuthedRequest = IncomingMessage & { auth?: AuthInfo };

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

function loopbackHostsFor(req: IncomingMessage): string[] {
  const port = req.socket.localPort;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/**
 * DNS-rebinding defence. A browser tricked into resolving evil.example to 127.0.0.1 still sends
 * `Host: evil.example` (and an Origin of that page), so both must name a host we serve as.
 * Returns why the request is refused, or undefined when it may proceed.
 */
export function refuseForeignHost(
  req: IncomingMessage,
  allowedHosts: string[] | undefined,
): string | undefined {
  const allowed = (allowedHosts ?? loopbackHostsFor(req)).map((h) => h.toLowerCase());
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowed.includes(host)) {
    return `Forbidden: Host header ${JSON.stringify(req.headers.host ?? '')} is not an allowed host`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    originHost = undefined;
  }
  if (!originHost || !allowed.includes(originHost)) {
    return `Forbidden: Origin ${JSON.stringify(origin)} is not an allowed origin`;
  }
  return undefined;
}

/**
 * Runs the host check and the vendor's authentication, answering the refusal itself.
 * Returns the caller when the request may proceed.
 */
export function admit(
  req: AuthedRequest,
  res: ServerResponse,
  opts: SandboxMcpEndpointOptions,
): McpCaller | undefined {
  const hostRefusal = refuseForeignHost(req, opts.allowedHosts);
  if (hostRefusal) {
    sendJsonRpcError(res, 403, -32000, hostRefusal);
    return undefined;
  }
  const auth = opts.authenticate(req);
  if (!auth.ok) {
    res.writeHead(auth.status, auth.headers ?? {});
    res.end(auth.body);
    return undefined;
  }
  // The token field carries the key id, never the secret: handlers and logs may print it.
  req.auth = {
    token: auth.caller.keyId,
    clientId: auth.caller.keyId,
    scopes: [],
    extra: { label: auth.caller.label, vendor: opts.vendor },
  };
  return auth.caller;
}

export function callerFromAuthInfo(info: AuthInfo | undefined): McpCaller | undefined {
  if (!info) return undefined;
  const label = info.extra?.['label'];
  return { keyId: info.clientId, label: typeof label === 'string' ? label : '' };
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; message: string };

export function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    message: `Request body is larger than ${MAX_BODY_BYTES} bytes`,
  };
  return new Promise((resolve) => {
    if (Number(req.headers['content-length'] ?? '0') > MAX_BODY_BYTES) {
      // Drain rather than destroy, so the 413 can still be written on this connection.
      req.resume();
      resolve(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(tooLarge);
      else chunks.push(chunk);
    });
    req.on('error', () => resolve({ ok: false, status: 400, message: 'Request body was cut off' }));
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({
          ok: false,
          status: 400,
          message: 'Parse error: the request body is not valid JSON',
        });
      }
    });
  });
}
