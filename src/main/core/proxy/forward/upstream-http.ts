import http from 'node:http';
import https from 'node:https';
import type { ProxyBackend } from '../proxy-backend';
import type { KeyUsage } from '../session/key-usage';
import type {
  ClientRequest,
  IncomingMessage,
  OutgoingHttpHeaders,
  RequestOptions,
} from 'node:http';

/** What talking to a vendor needs: connections, key leases, the current key, a time limit. */
export interface VendorAccess {
  readonly agents: UpstreamAgents;
  readonly usage: KeyUsage;
  readonly backend: ProxyBackend;
  readonly timeoutMs: number;
}

/**
 * Keep-alive agents so a forwarded call costs one loopback hop, not a TCP handshake too; plus the
 * per-proxy bookkeeping that keeps that hop cheap (no timer or URL parsing per request).
 */
export class UpstreamAgents {
  readonly http = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });
  readonly https = new https.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });
  readonly deadlines = new Deadlines();
  private readonly targets = new Map<string, RequestOptions>();

  /** Request options for a URL, parsed once (bounded: legacy endpoints carry session ids). */
  target(url: URL): RequestOptions {
    let target = this.targets.get(url.href);
    if (!target) {
      if (this.targets.size >= 256) this.targets.clear();
      target = {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: url.pathname + url.search,
      };
      this.targets.set(url.href, target);
    }
    return target;
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
    this.deadlines.destroy();
  }
}

/** Coarse timeouts from one shared sweep: waits here are seconds long, requests are many. */
class Deadlines {
  private readonly pending = new Set<{ at: number; fire: () => void }>();
  private timer: NodeJS.Timeout | undefined;

  add(ms: number, fire: () => void): () => void {
    const entry = { at: Date.now() + ms, fire };
    this.pending.add(entry);
    this.timer ??= setInterval(() => this.sweep(), Math.min(250, ms)).unref();
    return () => this.pending.delete(entry);
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.at > now) continue;
      this.pending.delete(entry);
      entry.fire();
    }
    if (this.pending.size === 0) this.destroy();
  }

  destroy(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'reset' | 'too-large',
    message: string,
    /** The request went out on a pooled socket the vendor had just closed: safe to resend. */
    readonly staleSocket = false,
  ) {
    super(message);
  }
}

export interface UpstreamCall {
  req: ClientRequest;
  response: Promise<IncomingMessage>;
}

/**
 * Sends one request; `body` undefined leaves the request open for the caller to stream into.
 * Only the wait for response headers is bounded: an SSE body may stay quiet for hours.
 */
export function callUpstream(
  agents: UpstreamAgents,
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: Buffer | null | undefined,
  timeoutMs: number,
): UpstreamCall {
  const secure = url.protocol === 'https:';
  const req = (secure ? https : http).request({
    ...agents.target(url),
    method,
    headers,
    agent: secure ? agents.https : agents.http,
  });
  req.setNoDelay(true);
  const where = url.origin;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const clearTimer = agents.deadlines.add(timeoutMs, () => {
      const message = `the MCP server at ${where} did not answer within ${timeoutMs} ms`;
      req.destroy(new UpstreamFailure('timeout', message));
    });
    req.once('response', (res) => {
      clearTimer();
      resolve(res);
    });
    // `on`, not `once`: a later socket error must never go unhandled.
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimer();
      if (err instanceof UpstreamFailure) return reject(err);
      const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      const refused =
        err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH';
      reject(
        new UpstreamFailure(
          refused ? 'unreachable' : 'reset',
          refused
            ? `cannot reach the MCP server at ${where} (${err.code})`
            : `the connection to the MCP server at ${where} failed (${err.code ?? err.message})`,
          stale,
        ),
      );
    });
  });
  if (body !== undefined) req.end(body ?? undefined);
  return { req, response };
}

/** Reads a whole (small) response body, for the proxy's own requests only. */
export async function readAll(res: IncomingMessage, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      res.destroy();
      throw new Error(`the MCP server's answer exceeded ${limit} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
