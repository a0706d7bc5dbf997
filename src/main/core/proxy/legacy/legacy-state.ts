import type { ServerResponse } from 'node:http';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { idFromKey, idKey, rpcErrorJson } from '../../../../shared/mcp/messages';
import type { ProxyRoute } from '../proxy-backend';
import type { ProxyRequest } from '../proxy-request';
import type { CutReason, ProxySession } from '../session/proxy-session';
import { sseMessage } from '../../../../shared/mcp/sse';
import type { LegacyLink } from './legacy-link';

/** Someone waiting for the answer to one JSON-RPC request, and the link it was posted through. */
export interface Waiter {
  link: LegacyLink | undefined;
  deliver(json: string): void;
}

/** A client session in front of a legacy HTTP+SSE vendor. */
export interface LegacyState {
  session: ProxySession;
  route: ProxyRoute;
  /** The link new messages go through; retiring links only finish what they owe. */
  link: LegacyLink | undefined;
  opening: Promise<LegacyLink> | undefined;
  links: Set<LegacyLink>;
  pending: Map<string, Waiter>;
  /** Progress token → the client POST stream of the request that asked for progress. */
  progress: Map<string, (json: string) => void>;
  listeners: ServerResponse[];
  postStreams: Set<ServerResponse>;
  /** Server messages that arrived while the client had no stream open (bounded). */
  backlog: string[];
  replayed: number;
}

/** Set while a POST waits for its answers: how to end it early with an error per request. */
export interface Cutter {
  cut?: (why: CutReason) => void;
}

const BACKLOG_LIMIT = 1000;

export { isBatch } from '../body-messages';

export function newLegacyState(session: ProxySession, route: ProxyRoute): LegacyState {
  return {
    session,
    route,
    link: undefined,
    opening: undefined,
    links: new Set(),
    pending: new Map(),
    progress: new Map(),
    listeners: [],
    postStreams: new Set(),
    backlog: [],
    replayed: 0,
  };
}

export function progressTokens(messages: RpcMessage[]): string[] {
  const tokens: string[] = [];
  for (const m of messages) {
    const meta = m.params?._meta as { progressToken?: unknown } | undefined;
    if (m.method !== undefined && meta?.progressToken !== undefined)
      tokens.push(idKey(meta.progressToken));
  }
  return tokens;
}

/** An error answer for the request whose id is `id` (as `idKey` wrote it). */
export function rpcError(id: string, message: string): string {
  return rpcErrorJson(idFromKey(id), message);
}

/** An answer goes to whoever asked; anything else to the client's GET stream (or a POST stream). */
export function routeMessage(state: LegacyState, data: string, link: LegacyLink): void {
  let message: RpcMessage | undefined;
  try {
    message = JSON.parse(data) as RpcMessage;
  } catch {
    return;
  }
  if (message.method === 'notifications/progress') {
    const toPost = state.progress.get(idKey(message.params?.progressToken));
    if (toPost) return toPost(data);
  }
  if (message.id !== undefined && message.method === undefined) {
    const key = idKey(message.id);
    const waiter = state.pending.get(key);
    if (waiter) {
      state.pending.delete(key);
      (waiter.link ?? link).outstanding--;
      waiter.deliver(data);
      (waiter.link ?? link).settle();
      return;
    }
  }
  const listener = state.listeners[0] ?? [...state.postStreams][0];
  if (listener) listener.write(sseMessage(data));
  else {
    state.backlog.push(data);
    if (state.backlog.length > BACKLOG_LIMIT) state.backlog.shift();
  }
}

/** The vendor closed a link: whatever it still owed is answered with an error, never left hanging. */
export function linkClosed(state: LegacyState, link: LegacyLink): void {
  state.links.delete(link);
  if (state.link === link) state.link = undefined;
  for (const [id, waiter] of state.pending) {
    if (waiter.link !== link) continue;
    state.pending.delete(id);
    waiter.deliver(rpcError(id, 'The vendor closed its MCP event stream before answering'));
  }
}

export function forgetWaiter(state: LegacyState, id: string): void {
  const waiter = state.pending.get(id);
  if (!waiter) return;
  state.pending.delete(id);
  if (waiter.link) {
    waiter.link.outstanding--;
    waiter.link.settle();
  }
}

export function retireLink(state: LegacyState, link: LegacyLink): void {
  link.retiring = true;
  if (state.link === link) state.link = undefined;
  link.settle();
}

export function closeLegacyState(state: LegacyState): void {
  for (const link of state.links) link.close();
  state.links.clear();
  for (const res of [...state.listeners, ...state.postStreams]) {
    if (!res.writableEnded) res.destroy();
  }
  state.listeners = [];
  state.postStreams.clear();
}

/** The client's GET stream: server messages (and any backlog) until the client goes. */
export function listenTo(x: ProxyRequest, state: LegacyState): Promise<void> {
  x.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'mcp-session-id': state.session.id,
  });
  x.res.flushHeaders();
  for (const data of state.backlog.splice(0)) x.res.write(sseMessage(data));
  state.listeners.push(x.res);
  return new Promise<void>((resolve) => {
    x.res.on('close', () => {
      state.listeners = state.listeners.filter((r) => r !== x.res);
      resolve();
    });
  });
}
