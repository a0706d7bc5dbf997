import type { IncomingMessage, ServerResponse } from 'node:http';
import { CounterBook, KeyUsage } from './key-usage';
import { LegacyGateway } from './legacy-sse';
import type { McpProxy, ProxyBackend, ProxyOptions } from './proxy-backend';
import type { ClientExchange, ProxyContext } from './proxy-context';
import { ActiveRegistry } from './proxy-context';
import type { ProxySession } from './proxy-session';
import { SessionTable } from './proxy-session';
import {
  bearerToken,
  checkHostAndOrigin,
  refuse,
  SESSION_NOT_FOUND,
  unauthorized,
} from './request-guard';
import { prepareSessions } from './session-prepare';
import { endVendorSession } from './session-reopen';
import { serveStreamable } from './streamable-route';
import { UpstreamAgents } from './upstream-http';

const METHODS = new Set(['POST', 'GET', 'DELETE']);
/** A session nobody used for a day (and with no stream open) is forgotten, here and upstream. */
const SESSION_IDLE_MS = 24 * 60 * 60 * 1000;

/**
 * The local MCP proxy: one route per connection, the client's local token out and the vendor key
 * in, everything else streamed through untouched. See DESIGN.md, "Proxy".
 */
export function createMcpProxy(backend: ProxyBackend, opts: ProxyOptions): McpProxy {
  const px: ProxyContext = {
    backend,
    agents: new UpstreamAgents(),
    usage: new KeyUsage(),
    counters: new CounterBook(),
    sessions: new SessionTable(),
    active: new ActiveRegistry(),
    boundUpstreams: new Set(),
    maxBodyBytes: opts.maxBodyBytes ?? 4 * 1024 * 1024,
    maxQueuePerSession: opts.maxQueuePerSession ?? 64,
    upstreamTimeoutMs: opts.upstreamTimeoutMs ?? 300_000,
  };
  const legacy = new LegacyGateway(px);
  let closed = false;
  const disconnected = (session: ProxySession): void =>
    backend.onClientSession({
      type: 'disconnected',
      slug: session.slug,
      client: session.client,
      sessionId: session.id,
    });
  const forget = (session: ProxySession): void => {
    const route = backend.route(session.slug);
    if (route) endVendorSession(px, route, session);
    if (px.sessions.remove(session)) disconnected(session);
  };
  const sweeper = setInterval(() => px.sessions.idle(SESSION_IDLE_MS).forEach(forget), 10 * 60_000);
  sweeper.unref();

  async function serve(req: IncomingMessage, res: ServerResponse, slug: string): Promise<void> {
    const route = backend.route(slug);
    if (closed) return refuse(res, { status: 503, message: 'The Keyway proxy is shutting down' });
    if (!route)
      return refuse(res, { status: 404, message: `No Keyway connection named "${slug}"` });
    const hostRefusal = checkHostAndOrigin(req, opts.allowedHosts());
    if (hostRefusal) return refuse(res, hostRefusal);
    const token = bearerToken(req);
    const who = token === undefined ? undefined : backend.authenticate(slug, token);
    if (!who) {
      px.counters.request(slug, undefined);
      px.counters.error(slug, undefined);
      return refuse(res, unauthorized(slug, token !== undefined));
    }
    const client = who.client;
    px.counters.request(slug, client);
    reportWhenAnswered(backend, res, slug, client);
    let failedOnce = false;
    const failed = (): void => {
      if (failedOnce) return;
      failedOnce = true;
      px.counters.error(slug, client);
    };
    if (!METHODS.has(req.method ?? '')) {
      failed();
      return refuse(res, {
        status: 405,
        message: 'Method not allowed',
        headers: { allow: 'GET, POST, DELETE' },
      });
    }
    const sessionId = req.headers['mcp-session-id'];
    let session: ProxySession | undefined;
    if (typeof sessionId === 'string') {
      session = px.sessions.find(sessionId, slug, client);
      if (!session) {
        failed();
        return refuse(res, { status: 404, code: SESSION_NOT_FOUND, message: 'Session not found' });
      }
      if (session.inFlight >= px.maxQueuePerSession) {
        failed();
        return refuse(res, {
          status: 429,
          message: `This session already has ${px.maxQueuePerSession} requests in flight through Keyway; retry shortly`,
          headers: { 'retry-after': '1' },
        });
      }
      session.lastActive = Date.now();
      const version = req.headers['mcp-protocol-version'];
      if (typeof version === 'string') session.replay.protocolVersion = version;
    }
    const x: ClientExchange = { req, res, route, client, session, failed };
    if (session) session.inFlight++;
    const done = (): void => {
      if (session) session.inFlight--;
    };
    if (route.transport === 'sse') return legacy.serve(x, done);
    return serveStreamable(px, x, done);
  }

  return {
    handle(req, res, slug) {
      serve(req, res, slug).catch(() => {
        refuse(res, { status: 500, message: 'The Keyway proxy failed to handle this request' });
      });
    },

    async drain(versionId, timeoutMs) {
      const moves: Promise<void>[] = [];
      for (const session of px.sessions.all()) {
        const streams = [...session.streams].filter((s) => s.versionId === versionId);
        if (streams.length === 0) continue;
        moves.push(
          backend.currentKey(session.slug).then(
            (key) => {
              if (key.versionId !== versionId) streams.forEach((s) => s.rebind());
            },
            () => undefined,
          ),
        );
      }
      await Promise.all(moves);
      return px.usage.waitIdle(versionId, timeoutMs);
    },

    async prepareKey(slug, key) {
      const route = backend.route(slug);
      if (route && !closed) await prepareSessions(px, route, key);
    },

    endClient(client) {
      px.active.cutClient(client, {
        status: 401,
        message: `Keyway ended this request: the client "${client}" was revoked`,
      });
      for (const session of px.sessions.all()) {
        if (session.client === client) forget(session);
      }
    },

    counters() {
      return px.counters.snapshot();
    },

    close() {
      closed = true;
      clearInterval(sweeper);
      px.active.cutAll({
        status: 503,
        message: 'Keyway ended this request: the proxy is shutting down',
      });
      for (const session of px.sessions.all()) {
        if (px.sessions.remove(session)) disconnected(session);
      }
      px.agents.destroy();
      return Promise.resolve();
    },
  };
}

/**
 * INTERIM (issue 13, until the rebuilt proxy of issue 10 reports this itself): one traffic
 * sample per forwarded request, taken when its response headers go out (or when it ends without
 * any). This proxy does not time the vendor's part, so `upstreamMs` is 0 here and the overview's
 * "added latency" shows the whole round trip until then.
 */
function reportWhenAnswered(
  backend: ProxyBackend,
  res: ServerResponse,
  slug: string,
  client: string,
): void {
  const at = Date.now();
  let totalMs: number | undefined;
  const writeHead = res.writeHead.bind(res);
  res.writeHead = ((...args: Parameters<typeof writeHead>) => {
    totalMs ??= Date.now() - at;
    return writeHead(...args);
  }) as typeof res.writeHead;
  res.once('close', () => {
    const status = res.headersSent ? res.statusCode : 0;
    const error = status === 0 || status >= 500;
    backend.onRequestDone({
      slug,
      client,
      status,
      error,
      totalMs: totalMs ?? Date.now() - at,
      upstreamMs: 0,
      at,
    });
  });
}
