import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeywayError } from '../../../shared/errors';
import { sendError } from './control-api';
import { checkHostAndOrigin, decodeSegment, loopbackHosts, requestPath } from './request-guards';
import { notFound, serveStatic } from './static-files';
import { CALLBACK_PATH } from '../oauth/oauth-callback-page';

// Not `import … from 'node:http'`: on Node 22 an ES import of node:http builds its namespace from
// every export, and that reads the lazy WebSocket getter, which loads Node's internal copy of
// undici (~10 MiB that an idle `keyway serve` would hold for nothing; issue 24).
const { createServer } = process.getBuiltinModule('node:http');

/** Whatever serves `/mcp/<slug>`; the proxy fills this seam. */
export interface McpRouteHandler {
  handle(req: IncomingMessage, res: ServerResponse, slug: string): void;
}

/** The routes that need the service (control API, proxy, OAuth callback). */
export interface ServiceRoutes {
  controlApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  oauthCallback(req: IncomingMessage, res: ServerResponse): Promise<void>;
  mcp?: McpRouteHandler;
}

export interface KeywayServerOptions {
  rendererDir: string;
  log: (line: string) => void;
  /**
   * The service's routes, asked for at the first request that needs them: `keyway serve` loads
   * the service's code (the contract's schemas, the OAuth client, the proxy) only then, so an
   * instance nobody has used yet holds little memory (issue 24). Called again until it resolves.
   */
  routes: () => Promise<ServiceRoutes>;
}

/**
 * One loopback port for everything: control API under /api/, the proxy under /mcp/, the web UI
 * at /. Host is checked on every request (DNS rebinding), Origin on the API.
 */
export class KeywayServer {
  readonly server: Server;
  private hosts: string[] = [];
  private readonly active = new Set<{ req: IncomingMessage; res: ServerResponse }>();
  /** Set once the service's routes are loaded: from then on a request is routed synchronously. */
  private routes: ServiceRoutes | undefined;

  constructor(private readonly opts: KeywayServerOptions) {
    this.server = createServer((req, res) => {
      const entry = { req, res };
      this.active.add(entry);
      res.once('close', () => this.active.delete(entry));
      this.route(req, res).catch((err: unknown) => {
        // The error's name only: a message may quote the request, which any web page can shape.
        opts.log(`request failed: ${err instanceof Error ? err.name : 'unknown error'}`);
        sendError(res, err);
      });
    });
    // SSE streams (events, proxied MCP) may be idle for long; never cut them on a timer.
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 65_000;
  }

  private async loadRoutes(): Promise<ServiceRoutes> {
    this.routes ??= await this.opts.routes();
    return this.routes;
  }

  get allowedHosts(): string[] {
    return this.hosts;
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new KeywayError(
                'conflict',
                `127.0.0.1:${port} is already in use; choose another port with --port (0 = any free port)`,
              )
            : err,
        ),
      );
      this.server.listen(port, '127.0.0.1', () => {
        this.server.removeAllListeners('error');
        resolve();
      });
    });
    const actual = (this.server.address() as AddressInfo).port;
    this.hosts = loopbackHosts(actual);
    return `http://127.0.0.1:${actual}`;
  }

  /** Stops accepting, lets in-flight requests finish (bounded), then closes idle sockets. */
  async close(graceMs = 5000, answerInFlight?: () => Promise<void>): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    // Requests in flight get to finish; an open GET event stream never would, and a client's
    // spare keep-alive socket carries nothing: neither is worth waiting the grace period for.
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && [...this.active].some((a) => !isOpenStream(a))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // What is still running after the grace period (a slow tool call) gets an answer that names
    // the shutdown before its socket closes, instead of a connection reset.
    if (answerInFlight) {
      await answerInFlight();
      const flushed = Date.now() + 1000;
      while (Date.now() < flushed && [...this.active].some((a) => !isOpenStream(a)))
        await new Promise((r) => setTimeout(r, 20));
    }
    this.server.closeAllConnections();
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req);
    const mcp = path === undefined ? null : /^\/mcp\/([^/]+)\/?$/.exec(path);
    const slug = mcp?.[1] === undefined ? undefined : decodeSegment(mcp[1]);
    // The proxy runs the same loopback guard itself and answers in a form MCP clients show:
    // one guard, one answer for every `/mcp/<slug>` (inbound/refusal.ts).
    if (slug !== undefined) {
      const routes = this.routes ?? (await this.loadRoutes());
      if (routes.mcp) return routes.mcp.handle(req, res, slug);
    }
    const refusal = checkHostAndOrigin(req, this.hosts);
    if (refusal?.failed === 'host') {
      return sendError(res, new KeywayError('forbidden', refusal.message));
    }
    if (path === undefined || (mcp && slug === undefined)) return badRequest(res);
    if (path.startsWith('/api/')) {
      if (refusal) return sendError(res, new KeywayError('forbidden', refusal.message));
      return (this.routes ?? (await this.loadRoutes())).controlApi(req, res, path);
    }
    if (path === CALLBACK_PATH)
      return (this.routes ?? (await this.loadRoutes())).oauthCallback(req, res);
    if (mcp) return sendError(res, new KeywayError('not_found', 'the proxy is not running'));
    // OAuth discovery (`/.well-known/…`, `/mcp/<slug>/.well-known/…`) and anything else that is
    // not the web UI: a plain 404. A client that meets the proxy's 401 probes these; an HTML
    // answer makes some drop their configured headers and others fail on a body they cannot parse.
    if (path.startsWith('/mcp/') || path.startsWith('/.well-known/')) return notFound(res);
    return serveStatic(req, res, this.opts.rendererDir, path);
  }
}

/** A malformed percent-encoding: a 400, and nothing of the URL in any log. */
function badRequest(res: ServerResponse): void {
  res
    .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
    .end('Bad request: malformed percent-encoding in the URL\n');
}

function isOpenStream({ req, res }: { req: IncomingMessage; res: ServerResponse }): boolean {
  return req.method === 'GET' && res.headersSent;
}
