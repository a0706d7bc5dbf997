import type { EraBridge } from './era-bridge/era-bridge';
import type { Forwarder } from './forward/forward';
import { readRequestBody, REPLAY_LIMIT } from './inbound/request-body';
import type { RpcId, RpcMessage } from '../../../shared/mcp/messages';
import { isInitialize, isRequest, requestIds } from '../../../shared/mcp/messages';
import { declaredVersion, eraOf } from '../../../shared/mcp/era';
import { isBatch, parseMessages } from './body-messages';
import type { ProxyRequest } from './proxy-request';
import { ListenStream } from './relay/listen-stream';
import { relay } from './relay/relay';
import type { LoneStreams } from './session/lone-streams';
import { SessionStream } from './relay/session-stream';
import type { ProxySession, SessionTable } from './session/proxy-session';
import { SessionReplay } from '../../../shared/mcp/session-replay';

/**
 * How long, after `initialized`, a session's requests wait for its standalone stream. SDK clients
 * open it at once; a client that never does pays this once per session, on the calls it makes in
 * that moment. (Learning such clients per token is no good: one client's sessions differ.)
 */
const EXPECT_STREAM_MS = 300;

/** The session step for a Streamable HTTP upstream: ids, binding, replay, order. */
export class StreamableRoute {
  constructor(
    private readonly fw: Forwarder,
    private readonly sessions: SessionTable,
    private readonly maxBodyBytes: number,
    private readonly bridge: EraBridge,
    private readonly lone: LoneStreams,
  ) {}

  serve(x: ProxyRequest): Promise<void> {
    const method = x.req.method;
    if (method === 'GET') {
      const lastEventId = x.req.headers['last-event-id'];
      const from = typeof lastEventId === 'string' ? lastEventId : undefined;
      return new SessionStream(this.fw, x, from).start();
    }
    if (method === 'DELETE') return this.deleteSession(x);
    return this.post(x);
  }

  private async post(x: ProxyRequest): Promise<void> {
    const body = await readRequestBody(x.req, this.maxBodyBytes, REPLAY_LIMIT);
    if ('status' in body) return x.refuse(body);
    const bytes = body.kind === 'buffered' ? body.bytes : undefined;
    // Only bodies that matter to a session's replay are parsed up front; ids only if ever needed.
    const messages = bytes && parseMessages(bytes);
    const ids = (): RpcId[] => requestIds(messages ?? (bytes && parseMessages(bytes, true)));
    if (bytes) x.answers({ ids, batch: isBatch(bytes) });
    const initializing = !x.session && isInitialize(messages);
    x.session?.replay.note(messages);
    const gate = inOrder(x.session);
    if (gate) await gate;
    const a = await this.fw.attempt(x, { method: 'POST', body, mayReopen: true });
    if (!a) return;
    // A server that speaks only 2026-07-28 refuses `initialize`: the era bridge may take over.
    if (initializing && a.upRes.status === 400 && bytes) return this.bridge.takeOver(x, a, bytes);
    const listen = !x.session && bytes ? modernListen(messages) : undefined;
    if (listen && bytes && a.upRes.isEventStream && a.upRes.status === 200)
      return new ListenStream(this.fw, x, bytes, listen, this.lone).start(a);
    const upstreamId = a.upRes.headers['mcp-session-id'];
    const status = a.upRes.status;
    let clientSessionId = x.session?.id;
    if (initializing && status < 300 && typeof upstreamId === 'string' && bytes) {
      const replay = new SessionReplay();
      replay.note(messages);
      const session = this.sessions.create(x.route.slug, x.client, a.key.versionId, replay);
      session.upstreamId = upstreamId;
      clientSessionId = session.id;
      this.sessions.announce(session);
    } else if (x.session && a.upstreamSession === x.session.upstreamId) {
      if (status < 300) x.session.boundVersion = a.key.versionId;
      if (status < 300 && messages?.some((m) => m.method === 'notifications/initialized'))
        x.session.order.expectStream(EXPECT_STREAM_MS);
      // The vendor forgot the session on its own (no key swap explains it): the client re-initializes.
      if (status === 404) this.forget(x.session);
    }
    relay(x, a, clientSessionId, ids);
  }

  private async deleteSession(x: ProxyRequest): Promise<void> {
    const session = x.session;
    const gate = inOrder(session);
    if (gate) await gate;
    const a = await this.fw.attempt(x, { method: 'DELETE', body: undefined, mayReopen: false });
    if (!a) return;
    if (session) this.forget(session);
    const status = a.upRes.status;
    if (session && status >= 400 && status !== 405 && session.boundVersion !== a.key.versionId) {
      // The vendor session is bound to a retired key and dies with it; for the client it is over.
      a.upRes.discard();
      a.lease.release();
      x.writeHead(200, {});
      x.res.end();
      return;
    }
    relay(x, a, session?.id);
  }

  private forget(session: ProxySession): void {
    this.sessions.remove(session);
  }
}

/** A 2026-07-28 `subscriptions/listen` request on its own: its stream moves at a rotation. */
function modernListen(messages: RpcMessage[] | undefined): RpcMessage | undefined {
  const m = messages?.length === 1 ? messages[0] : undefined;
  if (!m || m.method !== 'subscriptions/listen' || !isRequest(m)) return undefined;
  const version = declaredVersion(m);
  return version !== undefined && eraOf(version) === 'modern' ? m : undefined;
}

/**
 * The order step: a request the client sent after opening its standalone GET stream goes to the
 * vendor only once that stream is open there (bounded; see order-gate.ts).
 */
function inOrder(session: ProxySession | undefined): Promise<void> | undefined {
  return session?.order.wait();
}
