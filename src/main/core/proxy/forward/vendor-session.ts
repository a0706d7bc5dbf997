import type { RpcMessage } from '../../../../shared/mcp/messages';
import { rpcJson } from '../../../../shared/mcp/messages';
import type { ProxyKey, ProxyRoute } from '../proxy-backend';
import type { ReplayStep, SessionReplay } from '../../../../shared/mcp/session-replay';
import type { ProxySession } from '../session/proxy-session';
import { SseParser } from '../../../../shared/mcp/sse';
import { withKey } from './upstream-headers';
import type { UpstreamHeaders, UpstreamResponse, VendorAccess } from './upstream-http';
import { callUpstream } from './upstream-http';

/**
 * Re-opens a vendor session with the current key, behind the client's back: replays the client's
 * own `initialize` and `notifications/initialized`, then its logging level and resource
 * subscriptions, and maps the new vendor session id to the id the client already holds.
 * Concurrent callers share one re-open.
 */
export function reopenSession(
  v: VendorAccess,
  route: ProxyRoute,
  session: ProxySession,
): Promise<void> {
  session.reopening ??= reopen(v, route, session).finally(() => {
    session.reopening = undefined;
  });
  return session.reopening;
}

async function reopen(v: VendorAccess, route: ProxyRoute, session: ProxySession): Promise<void> {
  const key = await v.backend.currentKey(route.slug);
  const upstreamId = await openVendorSession(v, route, session.replay, key);
  session.upstreamId = upstreamId;
  session.boundVersion = key.versionId;
  for (const stream of session.streams) stream.rebind();
}

/** The vendor answered one of the proxy's own requests with an error status. */
export class VendorStatus extends Error {
  constructor(
    method: string,
    readonly status: number,
  ) {
    super(`${method} was answered with HTTP ${status}`);
  }
}

/**
 * Opens a vendor session with `key` from what the client already said in its own session, and
 * returns the vendor's id for it. Shared by the reactive re-open and the one ahead of a swap.
 */
export async function openVendorSession(
  v: VendorAccess,
  route: ProxyRoute,
  replay: SessionReplay,
  key: ProxyKey,
): Promise<string | undefined> {
  const [init, ...rest] = replay.steps();
  if (!init) throw new Error('the client never initialized this session through Keyway');
  const lease = v.usage.acquire(key.versionId);
  try {
    let n = 0;
    const message = (step: ReplayStep): Buffer =>
      Buffer.from(
        rpcJson({
          ...(step.notification ? {} : { id: `keyway-replay-${++n}` }),
          method: step.method,
          ...(step.params ? { params: step.params } : {}),
        }),
      );
    const opened = await post(v, route, key, undefined, undefined, message(init));
    if (opened.status !== 200) throw new VendorStatus('initialize', opened.status);
    if (opened.messages.some((m) => m.error !== undefined))
      throw new Error('initialize was refused');
    const upstreamId = opened.sessionId;
    const version = replay.protocolVersion ?? protocolVersionOf(opened.messages);
    for (const step of rest) {
      const answer = await post(v, route, key, upstreamId, version, message(step));
      if (!step.notification && answer.status >= 400)
        throw new VendorStatus(step.method, answer.status);
    }
    return upstreamId;
  } finally {
    lease.release();
  }
}

/** Best effort: tells the vendor a session is over (its client was revoked, or the proxy closes). */
export function endVendorSession(v: VendorAccess, route: ProxyRoute, session: ProxySession): void {
  const upstreamId = session.upstreamId;
  if (upstreamId === undefined || route.transport !== 'streamable-http') return;
  const send = async (): Promise<void> => {
    const key = await v.backend.currentKey(route.slug);
    await deleteVendorSession(v, route, upstreamId, key, session.replay.protocolVersion);
  };
  send().catch((err: unknown) =>
    v.log.debug(`could not end vendor session of "${route.slug}"; the vendor expires it`, err),
  );
}

/** DELETEs one vendor session with the key it is bound to; rejects if the request fails. */
export async function deleteVendorSession(
  v: VendorAccess,
  route: ProxyRoute,
  upstreamId: string,
  key: ProxyKey,
  protocolVersion: string | undefined,
): Promise<void> {
  const headers = withKey({ 'mcp-session-id': upstreamId }, route, key);
  if (protocolVersion) headers['mcp-protocol-version'] = protocolVersion;
  const call = callUpstream(v.agents, route.upstream, {
    method: 'DELETE',
    headers,
    body: null,
    timeoutMs: 5000,
  });
  (await call.response).discard();
}

function protocolVersionOf(messages: RpcMessage[]): string | undefined {
  const result = messages[0]?.result as { protocolVersion?: unknown } | undefined;
  return typeof result?.protocolVersion === 'string' ? result.protocolVersion : undefined;
}

interface Answer {
  status: number;
  sessionId: string | undefined;
  messages: RpcMessage[];
}

async function post(
  v: VendorAccess,
  route: ProxyRoute,
  key: ProxyKey,
  upstreamId: string | undefined,
  protocolVersion: string | undefined,
  body: Buffer,
): Promise<Answer> {
  const headers: UpstreamHeaders = {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'content-length': String(body.length),
  };
  withKey(headers, route, key);
  if (upstreamId !== undefined) headers['mcp-session-id'] = upstreamId;
  if (protocolVersion !== undefined) headers['mcp-protocol-version'] = protocolVersion;
  const call = callUpstream(v.agents, route.upstream, {
    method: 'POST',
    headers,
    body,
    timeoutMs: v.timeoutMs,
  });
  const res = await call.response;
  const sessionHeader = res.headers['mcp-session-id'];
  return {
    status: res.status,
    sessionId: typeof sessionHeader === 'string' ? sessionHeader : upstreamId,
    messages: await readMessages(res, () => call.abort()),
  };
}

/** Reads a JSON or SSE answer up to the first JSON-RPC response, then lets the stream go. */
export async function readMessages(
  res: UpstreamResponse,
  letGo: () => void,
): Promise<RpcMessage[]> {
  if (!res.isEventStream) {
    const text = (await res.readAll()).toString('utf8');
    if (!text.trim()) return [];
    try {
      const parsed = JSON.parse(text) as RpcMessage | RpcMessage[];
      return Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return [];
    }
  }
  const messages: RpcMessage[] = [];
  return new Promise((resolve, reject) => {
    let answered = false;
    const parser = new SseParser((event) => {
      if (event.event !== 'message' || !event.data) return;
      try {
        const message = JSON.parse(event.data) as RpcMessage;
        messages.push(message);
        if (message.id !== undefined && message.method === undefined) answered = true;
      } catch {
        // Not JSON-RPC: nothing the proxy needs from it.
      }
    });
    res.consume({
      data: (chunk) => {
        parser.feed(chunk);
        if (answered) {
          resolve(messages);
          letGo();
        }
        return true;
      },
      end: () => resolve(messages),
      error: (err) => (answered ? resolve(messages) : reject(err)),
    });
  });
}
