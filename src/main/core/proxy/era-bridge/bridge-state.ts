import type { RpcMessage } from '../../../../shared/mcp/messages';
import type { ProxyRequest } from '../proxy-request';
import { sseMessage } from '../../../../shared/mcp/sse';
import type { ClientFacts } from './modern-envelope';

/**
 * What the era bridge holds for one 2025 client session with a 2026-07-28-only server: what
 * the client said at `initialize` (put on every request), what it subscribed to, and the
 * server-initiated requests it has yet to answer. Forgotten with the session.
 */
export interface BridgeState {
  facts: ClientFacts;
  serverCapabilities: Record<string, unknown>;
  subscriptions: Set<string>;
  /** Requests the bridge sent the client for a server's `inputRequests`, by id. */
  waiting: Map<string, (answer: RpcMessage) => void>;
  /** The client's requests in flight, by id, so `notifications/cancelled` can end one. */
  running: Map<string, ProxyRequest>;
  /** The session's GET stream, when open: subscriptions change its listen filter. */
  listen: { refilter(): void } | undefined;
  /** A GET stream was open before: one that reconnects may have missed notifications. */
  listened: boolean;
  asked: number;
}

export function newBridgeState(
  facts: ClientFacts,
  serverCapabilities: Record<string, unknown>,
): BridgeState {
  return {
    facts,
    serverCapabilities,
    subscriptions: new Set(),
    waiting: new Map(),
    running: new Map(),
    listen: undefined,
    listened: false,
    asked: 0,
  };
}

/** The `subscriptions/listen` filter a 2025 session's GET stream stands for. */
export function listenFilter(state: BridgeState): Record<string, unknown> {
  const caps = state.serverCapabilities as Record<string, Record<string, unknown> | undefined>;
  const filter: Record<string, unknown> = {};
  if (caps.tools?.listChanged) filter.toolsListChanged = true;
  if (caps.prompts?.listChanged) filter.promptsListChanged = true;
  if (caps.resources?.listChanged) filter.resourcesListChanged = true;
  if (state.subscriptions.size > 0) filter.resourceSubscriptions = [...state.subscriptions];
  return filter;
}

/**
 * The answer stream of one client POST: plain JSON until the bridge has something to send before
 * the answer (a progress or log notification, a request for input), then an event stream.
 */
export class ClientAnswer {
  private streaming = false;

  constructor(
    private readonly x: ProxyRequest,
    private readonly sessionId: string,
    readonly acceptsStream: boolean,
  ) {}

  /** Sends a message ahead of the answer; false when the client cannot take one. */
  send(m: RpcMessage): boolean {
    if (!this.acceptsStream || this.x.res.destroyed) return false;
    if (!this.streaming) {
      this.streaming = true;
      this.x.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'mcp-session-id': this.sessionId,
      });
    }
    this.x.res.write(sseMessage(JSON.stringify(m)));
    return true;
  }

  /** The last message: the answer to the client's request. */
  finish(m: RpcMessage): void {
    if (this.x.res.destroyed) return;
    if (this.streaming) {
      this.send(m);
      this.x.res.end();
      return;
    }
    const body = JSON.stringify(m);
    this.x.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'mcp-session-id': this.sessionId,
    });
    this.x.res.end(body);
  }
}
