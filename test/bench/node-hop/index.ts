// The cheapest one-hop proxy Node's HTTP stack allows, as a bench baseline beside nginx: Node's
// http server in, undici's low-level dispatch out (the same two parts Keyway uses), the vendor
// key set on each request, every chunk passed on as it arrives. It checks nothing (no token, no
// Host, no session, no lease, no limits), so it is not a proxy anyone should run: it shows what
// any proxy built on Node pays before doing any of its own work. Same export as
// src/main/core/proxy/index.ts, so the bench starts it the same way.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';

interface Backend {
  route(slug: string): { upstream: URL } | undefined;
  currentKey(slug: string): Promise<{ secret: string }>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

function forwarded(incoming: IncomingHttpHeaders, secret: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (typeof value === 'string' && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  out.authorization = `Bearer ${secret}`;
  return out;
}

export function createMcpProxy(backend: Backend) {
  const agent = new Agent({ connections: 512, pipelining: 1 });
  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    upstream: URL,
    body: Buffer | null,
    secret: string,
  ): void => {
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: () => undefined, // marks the handler as undici's new (v7) kind
      onResponseStart(_ctl, status, headers) {
        const out: Record<string, string | string[]> = {};
        for (const name in headers) {
          const value = headers[name];
          if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        }
        res.writeHead(status, out);
        if (String(out['content-type']).includes('text/event-stream')) res.flushHeaders();
      },
      onResponseData: (_ctl, chunk) => void res.write(chunk),
      onResponseEnd: () => void res.end(),
      onResponseError: () => void res.destroy(),
    };
    const call = {
      origin: upstream.origin,
      path: upstream.pathname,
      method: req.method as Dispatcher.HttpMethod,
      headers: forwarded(req.headers, secret),
      body,
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    agent.dispatch(call, handler);
  };
  return {
    handle(req: IncomingMessage, res: ServerResponse, slug: string): void {
      const route = backend.route(slug);
      if (!route) return void res.writeHead(404).end();
      const upstream = route.upstream;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = chunks.length === 0 ? null : Buffer.concat(chunks);
        backend.currentKey(slug).then(
          (key) => send(req, res, upstream, body, key.secret),
          () => res.writeHead(503).end(),
        );
      });
    },
    close(): Promise<void> {
      return agent.destroy();
    },
  };
}
