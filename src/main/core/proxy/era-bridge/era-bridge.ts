import type { Attempt, Forwarder } from '../forward/forward';
import { upstreamFailure } from '../forward/forward';
import { clientResponseHeaders } from '../forward/upstream-headers';
import { readRequestBody } from '../inbound/request-body';
import type { ProxyRequest } from '../proxy-request';
import type { ProxySession, SessionTable } from '../session/proxy-session';
import { SessionReplay } from '../../../../shared/mcp/session-replay';
import { isModernError, supportedVersionsOf } from '../../../../shared/mcp/era';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import {
  idKey,
  isRequest,
  isResponse,
  parseRpc,
  PARSE_ERROR,
} from '../../../../shared/mcp/messages';
import { BridgeListen } from './bridge-listen';
import type { BridgeState } from './bridge-state';
import { ClientAnswer, newBridgeState } from './bridge-state';
import { callWithInput } from './input-rounds';
import { agreedVersion, initializeResult, legacyResult, speaksModern } from './legacy-view';
import { startModernCall } from './modern-call';
import { modernHeaders, withEnvelope } from './modern-envelope';

const INVALID_REQUEST = -32600;

/**
 * The era bridge: a client that speaks only the 2025 protocol (initialize, sessions, a GET stream,
 * server-initiated requests) reaches a server that speaks only 2026-07-28 (stateless requests
 * with `_meta`, `subscriptions/listen`, multi round-trip `input_required` results). Keyway holds
 * the session the server no longer has and translates each message; see docs/era-bridge.md for
 * what maps to what. A server that still takes `initialize` is never bridged.
 */
export class EraBridge {
  private readonly states = new Map<string, BridgeState>();
  /** Upstreams seen to refuse `initialize` for want of a modern version. */
  private readonly modernOnly = new Set<string>();
  /** Tool input schemas by connection, from `tools/list` answers: `x-mcp-header` needs them. */
  private readonly schemas = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly fw: Forwarder,
    private readonly sessions: SessionTable,
    private readonly maxBodyBytes: number,
  ) {}

  /**
   * Whether the bridge serves this request: any request of a bridged session, and a new 2025
   * session (no `Mcp-Method` header, which every modern request carries) at a modern-only server.
   */
  claims(x: ProxyRequest): boolean {
    if (x.session) return this.states.has(x.session.id);
    return (
      x.req.method === 'POST' &&
      x.req.headers['mcp-method'] === undefined &&
      this.modernOnly.has(x.route.upstream.href)
    );
  }

  /**
   * A server refused a 2025 client's `initialize` (HTTP 400). If it did so because it speaks only
   * 2026-07-28, the bridge takes the session over; otherwise the refusal goes to the client as
   * it came. Either way the refused attempt is finished here.
   */
  async takeOver(x: ProxyRequest, a: Attempt, initialize: Buffer): Promise<void> {
    let body: Buffer;
    try {
      body = await a.upRes.readAll(64 * 1024);
    } finally {
      a.lease.release();
    }
    const refusal = parseRpc(body.toString('utf8'));
    const error = refusal && !Array.isArray(refusal) ? refusal.error : undefined;
    const versions = supportedVersionsOf(error);
    if (isModernError(error) && versions.length > 0 && versions.every((v) => v >= '2026')) {
      this.modernOnly.add(x.route.upstream.href);
      const m = parseRpc(initialize.toString('utf8'));
      if (m && !Array.isArray(m)) return this.initialize(x, m);
    }
    x.writeHead(a.upRes.status, clientResponseHeaders(a.upRes.headers, undefined));
    x.res.end(body);
  }

  async serve(x: ProxyRequest): Promise<void> {
    try {
      await this.route(x);
    } catch (err) {
      if (!x.res.headersSent) x.refuse(upstreamFailure(err));
      else x.res.end();
    }
  }

  private async route(x: ProxyRequest): Promise<void> {
    const state = x.session && this.states.get(x.session.id);
    if (x.req.method === 'DELETE') {
      if (x.session) this.forget(x.session);
      x.writeHead(200, {});
      x.res.end();
      return;
    }
    if (x.req.method === 'GET') {
      if (!state || !x.session)
        return x.refuse({ status: 400, message: 'Bad Request: Mcp-Session-Id header is required' });
      return new BridgeListen(this.fw, x, x.session, state).start();
    }
    const body = await readRequestBody(x.req, this.maxBodyBytes, this.maxBodyBytes);
    if ('status' in body || body.kind !== 'buffered')
      return x.refuse('status' in body ? body : { status: 413, message: 'request body too large' });
    const m = parseRpc(body.bytes.toString('utf8'));
    if (m === null)
      return x.refuse({ status: 400, message: 'Parse error: invalid JSON-RPC', code: PARSE_ERROR });
    if (!Array.isArray(m)) x.answers({ ids: () => (isRequest(m) ? [m.id!] : []), batch: false });
    if (Array.isArray(m))
      return x.refuse({
        status: 400,
        message:
          'Keyway does not bridge JSON-RPC batches to a 2026-07-28 server; send one message per request',
        code: INVALID_REQUEST,
      });
    if (!state || !x.session) {
      if (m.method === 'initialize' && isRequest(m)) return this.initialize(x, m);
      return x.refuse({ status: 400, message: 'Bad Request: No valid session ID provided' });
    }
    if (isResponse(m)) {
      state.waiting.get(idKey(m.id))?.(m);
      state.waiting.delete(idKey(m.id));
      return accepted(x);
    }
    if (!isRequest(m)) return this.notification(x, state, m);
    return this.request(x, x.session, state, m);
  }

  private async initialize(x: ProxyRequest, m: RpcMessage): Promise<void> {
    const params = m.params ?? {};
    const facts = {
      clientInfo: params.clientInfo ?? { name: 'unknown', version: 'unknown' },
      clientCapabilities: (params.capabilities ?? {}) as Record<string, unknown>,
      logLevel: undefined,
    };
    const discover: RpcMessage = { jsonrpc: '2.0', id: m.id, method: 'server/discover' };
    const call = await startModernCall(
      this.fw,
      x,
      withEnvelope(discover, facts),
      modernHeaders(discover),
      () => undefined,
    );
    const answer = await call.answer;
    const result = answer.result as Record<string, unknown> | undefined;
    if (!speaksModern(result)) {
      const error = answer.error ?? {
        code: INVALID_REQUEST,
        message: 'The MCP server does not speak 2026-07-28 or initialize',
      };
      return json(x, undefined, { jsonrpc: '2.0', id: m.id, error });
    }
    const session = this.sessions.create(
      x.route.slug,
      x.client,
      call.versionId,
      new SessionReplay(),
    );
    const state = newBridgeState(facts, (result?.capabilities ?? {}) as Record<string, unknown>);
    this.states.set(session.id, state);
    session.onClose = () => this.dropState(session.id);
    // The server answered server/discover: the session is in use (the table tells the audit).
    this.sessions.announce(session);
    const version = agreedVersion(params.protocolVersion);
    json(x, session.id, { jsonrpc: '2.0', id: m.id, result: initializeResult(result!, version) });
  }

  /** 2025 notifications: what 2026-07-28 still has a use for is acted on; the rest is dropped. */
  private notification(x: ProxyRequest, state: BridgeState, m: RpcMessage): void {
    if (m.method === 'notifications/cancelled') {
      const running = state.running.get(idKey(m.params?.requestId));
      // Ending the client's response ends its exchange at the server and frees what it held.
      running?.res.end();
    }
    // `notifications/initialized` has no 2026 counterpart; `roots/list_changed` is moot (a
    // modern server asks for roots within the request that needs them).
    accepted(x);
  }

  private async request(
    x: ProxyRequest,
    session: ProxySession,
    state: BridgeState,
    m: RpcMessage,
  ): Promise<void> {
    const local = this.answerLocally(state, m);
    if (local) return json(x, session.id, { jsonrpc: '2.0', id: m.id, result: local });
    const accept = String(x.req.headers.accept ?? '');
    const out = new ClientAnswer(x, session.id, accept.includes('text/event-stream'));
    const asked: string[] = [];
    const running = idKey(m.id);
    state.running.set(running, x);
    x.res.once('close', () => {
      if (state.running.get(running) === x) state.running.delete(running);
      for (const id of asked) {
        state.waiting.get(id)?.({ error: { message: 'the client closed the request' } });
        state.waiting.delete(id);
      }
    });
    const schema =
      m.method === 'tools/call'
        ? this.schemas.get(x.route.slug)?.get(String(m.params?.name))
        : undefined;
    const answer = await callWithInput(m, (extra) => withEnvelope(m, state.facts, extra), {
      send: async (req) => {
        const call = await startModernCall(this.fw, x, req, modernHeaders(req, schema), (n) => {
          if (n.method !== undefined && n.id === undefined) out.send(n);
        });
        return call.answer;
      },
      ask: (method, params) => {
        const id = `keyway-${++state.asked}`;
        if (!out.send({ jsonrpc: '2.0', id, method, params: params as Record<string, unknown> }))
          return Promise.resolve({
            error: { message: 'the client takes no event stream on this request' },
          });
        asked.push(idKey(id));
        return new Promise((resolve) => state.waiting.set(idKey(id), resolve));
      },
    });
    if (m.method === 'tools/list' && answer.result) this.noteSchemas(x.route.slug, answer.result);
    out.finish({
      ...answer,
      jsonrpc: '2.0',
      id: m.id,
      result: answer.error ? undefined : legacyResult(answer.result),
    });
  }

  /** 2025 requests with no 2026-07-28 counterpart, answered by Keyway for the server. */
  private answerLocally(state: BridgeState, m: RpcMessage): Record<string, unknown> | undefined {
    const params = m.params ?? {};
    switch (m.method) {
      case 'ping':
        return {};
      case 'logging/setLevel':
        state.facts.logLevel = typeof params.level === 'string' ? params.level : undefined;
        return {};
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        if (typeof params.uri === 'string') {
          if (m.method === 'resources/subscribe') state.subscriptions.add(params.uri);
          else state.subscriptions.delete(params.uri);
          state.listen?.refilter();
        }
        return {};
      default:
        return undefined;
    }
  }

  private noteSchemas(slug: string, result: unknown): void {
    const tools = (result as { tools?: unknown }).tools;
    if (!Array.isArray(tools)) return;
    const bySlug = this.schemas.get(slug) ?? new Map<string, unknown>();
    for (const t of tools as Array<{ name?: unknown; inputSchema?: unknown }>)
      if (typeof t.name === 'string') bySlug.set(t.name, t.inputSchema);
    this.schemas.set(slug, bySlug);
  }

  private forget(session: ProxySession): void {
    // The table says the session is gone (it was announced when it began).
    this.sessions.remove(session);
  }

  /** Nothing of a session outlives it: waiting requests fail, running ones end. */
  private dropState(id: string): void {
    const state = this.states.get(id);
    if (!state) return;
    this.states.delete(id);
    for (const resolve of state.waiting.values())
      resolve({ error: { message: 'the session ended' } });
    state.waiting.clear();
    for (const x of state.running.values()) x.res.end();
    state.running.clear();
  }
}

function accepted(x: ProxyRequest): void {
  x.writeHead(202, {});
  x.res.end();
}

function json(x: ProxyRequest, sessionId: string | undefined, m: RpcMessage): void {
  const body = JSON.stringify(m);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (sessionId) headers['mcp-session-id'] = sessionId;
  x.writeHead(200, headers);
  x.res.end(body);
}
