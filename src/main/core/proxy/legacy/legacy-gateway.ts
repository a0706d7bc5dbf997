import type { Forwarder } from '../forward/forward';
import { exchange } from '../forward/exchange';
import {
  credentialAdvice,
  credentialWords,
  ProxyFailure,
  upstreamFailure,
} from '../forward/forward';
import { readRequestBody } from '../inbound/request-body';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { idKey, isInitialize, PARSE_ERROR } from '../../../../shared/mcp/messages';
import { parseMessages } from '../body-messages';
import type { ProxyBackend } from '../proxy-backend';
import type { ProxyRequest } from '../proxy-request';
import type { CutReason, SessionTable } from '../session/proxy-session';
import { SessionReplay } from '../../../../shared/mcp/session-replay';
import { sseMessage } from '../../../../shared/mcp/sse';
import type { LegacyLink } from './legacy-link';
import { openLink, postToLink } from './legacy-link';
import { replayOnLink } from './legacy-replay';
import type { Cutter, LegacyState } from './legacy-state';
import {
  closeLegacyState,
  forgetWaiter,
  isBatch,
  linkClosed,
  listenTo,
  newLegacyState,
  progressTokens,
  retireLink,
  routeMessage,
  rpcError,
} from './legacy-state';

/**
 * Clients always speak Streamable HTTP to Keyway; for a vendor that still speaks the 2024-11-05
 * HTTP+SSE transport, the proxy holds the vendor's event stream, posts to the endpoint it
 * announces, and routes each answer back by JSON-RPC id: to the client request that asked for it,
 * anything else to the client's GET stream. Each message is parsed, so bodies are held whole here
 * (up to the size limit).
 */
export class LegacyGateway {
  private readonly states = new Map<string, LegacyState>();

  constructor(
    private readonly fw: Forwarder,
    private readonly sessions: SessionTable,
    private readonly backend: ProxyBackend,
    private readonly maxBodyBytes: number,
  ) {}

  async serve(x: ProxyRequest): Promise<void> {
    const cutter: Cutter = {};
    x.onCut((why) => {
      if (why && cutter.cut) return cutter.cut(why);
      if (why && !x.res.headersSent) return x.refuse(why);
      x.res.destroy();
    });
    try {
      await this.route(x, cutter);
    } catch (err) {
      x.refuse(upstreamFailure(err));
    }
  }

  private async route(x: ProxyRequest, cutter: Cutter): Promise<void> {
    const state = x.session && this.states.get(x.session.id);
    if (x.req.method === 'DELETE') {
      if (x.session) this.sessions.remove(x.session);
      x.writeHead(x.session ? 200 : 400, {});
      x.res.end();
      return;
    }
    if (x.req.method === 'GET') {
      if (!state)
        return x.refuse({
          status: 400,
          message: 'Bad Request: Mcp-Session-Id header is required',
        });
      return listenTo(x, state);
    }
    const body = await readRequestBody(x.req, this.maxBodyBytes, this.maxBodyBytes);
    if ('status' in body || body.kind !== 'buffered') {
      return x.refuse('status' in body ? body : { status: 413, message: 'request body too large' });
    }
    const messages = parseMessages(body.bytes, true);
    if (!messages?.length) {
      return x.refuse({
        status: 400,
        code: PARSE_ERROR,
        message: 'Parse error: the body is not JSON-RPC',
      });
    }
    const target = state ?? (isInitialize(messages) ? await this.create(x) : undefined);
    if (!target) {
      return x.refuse({
        status: 400,
        message: 'Bad Request: no valid Mcp-Session-Id; send initialize first',
      });
    }
    target.session.replay.note(messages);
    await this.exchange(x, target, body.bytes, messages, cutter);
  }

  private async create(x: ProxyRequest): Promise<LegacyState> {
    const key = await this.fw.currentKey(x.route.slug);
    const session = this.sessions.create(
      x.route.slug,
      x.client,
      key.versionId,
      new SessionReplay(),
    );
    const state = newLegacyState(session, x.route);
    this.states.set(session.id, state);
    session.onClose = () => this.closeState(state);
    session.streams.add({
      get versionId() {
        return state.link?.versionId;
      },
      rebind: () => {
        if (state.link) retireLink(state, state.link);
        // Nobody waits on this early re-open: the session's next request opens the link
        // again and answers its client with the reason if that fails too.
        this.ensureLink(state, true).catch(() => undefined);
      },
      cut: () => this.closeState(state),
    });
    try {
      await this.ensureLink(state, false);
    } catch (err) {
      this.sessions.remove(session);
      throw err;
    }
    this.sessions.announce(session);
    return state;
  }

  private async exchange(
    x: ProxyRequest,
    state: LegacyState,
    bytes: Buffer,
    messages: RpcMessage[],
    cutter: Cutter,
  ): Promise<void> {
    const ids = messages
      .filter((m) => m.method !== undefined && m.id !== undefined && m.id !== null)
      .map((m) => idKey(m.id));
    const headers = { 'mcp-session-id': state.session.id, 'cache-control': 'no-cache' };
    const sse = String(x.req.headers.accept ?? '').includes('text/event-stream');
    // Answers may arrive on the vendor's stream before its POST returns: hold them till the head is out.
    const collected: string[] = [];
    let streaming = false;
    let remaining = ids.length;
    // Progress for these requests rides on their own stream, in order with their answers, as a
    // Streamable HTTP server would send it (a client may drop progress that trails its answer).
    const tokens = sse ? progressTokens(messages) : [];
    const onProgress = (json: string): void => {
      if (streaming) x.res.write(sseMessage(json));
      else collected.push(json);
    };
    for (const token of tokens) state.progress.set(token, onProgress);
    const answered = new Promise<void>((resolve) => {
      if (remaining === 0) resolve();
      for (const id of ids) {
        state.pending.set(id, {
          link: undefined,
          deliver: (json) => {
            if (streaming) x.res.write(sseMessage(json));
            else collected.push(json);
            if (--remaining === 0) resolve();
          },
        });
      }
      x.res.on('close', () => {
        for (const id of ids) forgetWaiter(state, id);
        resolve();
      });
    });
    let cutWhy: CutReason | undefined;
    cutter.cut = (why) => {
      cutWhy = why;
      for (const id of ids) {
        const waiter = state.pending.get(id);
        if (!waiter) continue;
        forgetWaiter(state, id);
        waiter.deliver(rpcError(id, why.message));
      }
      if (streaming && !x.res.writableEnded) {
        state.postStreams.delete(x.res);
        x.res.end();
      }
    };
    try {
      await this.post(state, bytes, ids);
    } catch (err) {
      for (const id of ids) forgetWaiter(state, id);
      for (const token of tokens) state.progress.delete(token);
      if (cutWhy) return x.refuse(cutWhy);
      throw err;
    }
    if (ids.length === 0) {
      x.writeHead(202, headers);
      x.res.end();
      return;
    }
    if (sse) {
      x.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
      for (const json of collected.splice(0)) x.res.write(sseMessage(json));
      x.res.flushHeaders();
      streaming = true;
      state.postStreams.add(x.res);
    }
    await answered;
    for (const token of tokens) state.progress.delete(token);
    state.postStreams.delete(x.res);
    if (sse) {
      if (!x.res.writableEnded) x.res.end();
    } else if (!x.res.destroyed) {
      const json = isBatch(bytes) ? `[${collected.join(',')}]` : (collected[0] ?? '');
      x.writeHead(200, { ...headers, 'content-type': 'application/json' });
      x.res.end(json);
    }
  }

  /** Posts with the current key; a refusal a key swap explains opens a new link and resends. */
  private async post(state: LegacyState, bytes: Buffer, ids: string[]): Promise<void> {
    const { route } = state;
    const out = await exchange(this.backend, route.slug, true, async () => {
      const link = await this.ensureLink(state, true);
      for (const id of ids) {
        const waiter = state.pending.get(id);
        if (waiter) waiter.link = link;
      }
      link.outstanding += ids.length;
      const out = await postToLink(this.fw, route, link, bytes);
      this.fw.counters.keyVersion(route.slug, state.session.client, out.key.versionId);
      if (out.status >= 300) {
        link.outstanding -= ids.length;
        link.settle();
      }
      return {
        result: out,
        facts: {
          status: out.status,
          used: out.key,
          sessionMoved: false,
          inSession: true,
          boundElsewhere: link.versionId !== out.key.versionId || !link.alive,
        },
        discard: () => undefined,
        reopen: async () => retireLink(state, link),
      };
    });
    if (out.status < 300) return;
    throw new ProxyFailure({
      status: out.status === 401 || out.status >= 500 ? 502 : out.status,
      message:
        out.status === 401
          ? `The vendor's MCP server for "${route.slug}" refused the ${credentialWords(route)} Keyway holds (HTTP 401): ${credentialAdvice(route)}`
          : `The vendor's MCP server for "${route.slug}" refused the message (HTTP ${out.status})`,
    });
  }

  private ensureLink(state: LegacyState, replay: boolean): Promise<LegacyLink> {
    if (state.link?.alive && !state.link.retiring) return Promise.resolve(state.link);
    state.opening ??= this.openLink(state, replay).finally(() => {
      state.opening = undefined;
    });
    return state.opening;
  }

  private async openLink(state: LegacyState, replay: boolean): Promise<LegacyLink> {
    const link = await openLink(this.fw, state.route, {
      message: (data, from) => routeMessage(state, data, from),
      closed: (gone) => linkClosed(state, gone),
    });
    state.links.add(link);
    if (state.session.closed) {
      link.close();
      throw new ProxyFailure({ status: 404, message: 'Session not found' });
    }
    if (replay) await replayOnLink(this.fw, state, link);
    state.link = link;
    state.session.upstreamId = link.endpoint.searchParams.get('sessionId') ?? undefined;
    state.session.boundVersion = link.versionId;
    return link;
  }

  private closeState(state: LegacyState): void {
    this.states.delete(state.session.id);
    closeLegacyState(state);
  }
}
