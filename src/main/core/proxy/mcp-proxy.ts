import { silentLogger } from '../log/logger';
import { EraBridge } from './era-bridge/era-bridge';
import { Forwarder } from './forward/forward';
import { prepareSessions } from './forward/session-prepare';
import { UpstreamAgents } from './forward/upstream-http';
import { endVendorSession } from './forward/vendor-session';
import { Inbound } from './inbound/inbound';
import { refuse } from './inbound/refusal';
import { LegacyGateway } from './legacy/legacy-gateway';
import type { McpProxy, ProxyBackend, ProxyOptions } from './proxy-backend';
import type { ProxyRequest } from './proxy-request';
import { ActiveRegistry } from './session/active-registry';
import { CounterBook, KeyUsage } from './session/key-usage';
import { LoneStreams } from './session/lone-streams';
import type { ProxySession, Rebindable } from './session/proxy-session';
import { SessionTable } from './session/proxy-session';
import { StreamableRoute } from './streamable-route';

/** A session nobody used for a day (and with no stream open) is forgotten, here and upstream. */
const SESSION_IDLE_MS = 24 * 60 * 60 * 1000;

/**
 * The local MCP proxy: one route per connection, the client's local token out and the vendor key
 * in, everything else streamed through untouched. Each request runs the pipeline in order:
 * inbound (inbound/) → session (streamable-route.ts, session/) → forward (forward/) → relay
 * (relay/); a legacy HTTP+SSE vendor gets the legacy/ adapter in place of the last three. See
 * DESIGN.md, "Proxy".
 */
export function createMcpProxy(backend: ProxyBackend, opts: ProxyOptions): McpProxy {
  const maxBodyBytes = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  const agents = new UpstreamAgents();
  const usage = new KeyUsage();
  const counters = new CounterBook();
  const sessions = new SessionTable((event) => backend.onClientSession(event));
  const active = new ActiveRegistry();
  const fw = new Forwarder(
    backend,
    agents,
    usage,
    counters,
    opts.upstreamTimeoutMs ?? 300_000,
    maxBodyBytes,
    opts.log ?? silentLogger,
  );
  const inbound = new Inbound(
    backend,
    sessions,
    { backend, usage, counters, active },
    {
      allowedHosts: opts.allowedHosts,
      paused: () => paused,
      maxQueuePerSession: opts.maxQueuePerSession ?? 64,
    },
  );
  const bridge = new EraBridge(fw, sessions, maxBodyBytes);
  const lone = new LoneStreams();
  const streamable = new StreamableRoute(fw, sessions, maxBodyBytes, bridge, lone);
  const legacy = new LegacyGateway(fw, sessions, backend, maxBodyBytes);
  let closed = false;
  let paused = false;
  const forget = (session: ProxySession): void => {
    const route = backend.route(session.slug);
    if (route) endVendorSession(fw, route, session);
    sessions.remove(session);
  };
  const sweeper = setInterval(() => sessions.idle(SESSION_IDLE_MS).forEach(forget), 10 * 60_000);
  sweeper.unref();

  const serve = (pr: ProxyRequest): Promise<void> =>
    pr.route.transport === 'sse'
      ? legacy.serve(pr)
      : bridge.claims(pr)
        ? bridge.serve(pr)
        : streamable.serve(pr);

  return {
    handle(req, res, slug) {
      if (closed) return refuse(res, { status: 503, message: 'The Keyway proxy is shutting down' });
      const pr = inbound.admit(req, res, slug);
      if (!pr) return;
      serve(pr).catch(() => {
        // A step that resumed after its client left has nothing to answer.
        if (!pr.ended)
          pr.refuse({ status: 500, message: 'The Keyway proxy failed to handle this request' });
      });
    },

    async drain(versionId, timeoutMs) {
      // Long-lived streams on the old key move to the new one (session GET streams, and the
      // listen streams of 2026-07-28 clients): the drain then waits only for ordinary calls.
      const holding = new Map<string, Rebindable[]>();
      const hold = (slug: string, stream: Rebindable): void => {
        if (stream.versionId !== versionId) return;
        const list = holding.get(slug) ?? [];
        list.push(stream);
        holding.set(slug, list);
      };
      for (const session of sessions.all())
        for (const stream of session.streams) hold(session.slug, stream);
      for (const { slug, stream } of lone.all()) hold(slug, stream);
      await Promise.all(
        [...holding].map(([slug, streams]) =>
          backend.currentKey(slug).then(
            (key) => {
              if (key.versionId !== versionId) streams.forEach((s) => s.rebind());
            },
            () => undefined,
          ),
        ),
      );
      return usage.waitIdle(versionId, timeoutMs);
    },

    async prepareKey(slug, key) {
      const route = backend.route(slug);
      if (route && !closed)
        await prepareSessions(fw, fw.boundUpstreams, sessions.all(), route, key);
    },

    endClient(client) {
      active.cutClient(client, {
        status: 401,
        message: `Keyway ended this request: the client "${client}" was revoked`,
      });
      for (const session of sessions.all()) {
        if (session.client === client) forget(session);
      }
    },

    setPaused(on) {
      paused = on;
      if (!on) return;
      active.cutAll({ status: 503, message: 'Keyway ended this request: the proxy was paused' });
      sessions.all().forEach(forget);
    },

    paused() {
      return paused;
    },

    counters() {
      return counters.snapshot();
    },

    close() {
      closed = true;
      clearInterval(sweeper);
      active.cutAll({
        status: 503,
        message: 'Keyway ended this request: the proxy is shutting down',
      });
      for (const session of sessions.all()) sessions.remove(session);
      agents.destroy();
      return Promise.resolve();
    },
  };
}
