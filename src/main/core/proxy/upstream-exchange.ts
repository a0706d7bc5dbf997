import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Lease } from './key-usage';
import type { ProxyKey } from './proxy-backend';
import type { ClientExchange, ProxyContext } from './proxy-context';
import { adoptPrepared, noteBoundVendor } from './session-prepare';
import { reopenSession } from './session-reopen';
import type { RequestBody } from './request-body';
import { streamBody, tooLarge } from './request-body';
import type { Refusal } from './request-guard';
import { PROXY_ERROR } from './request-guard';
import type { CutReason, RpcId } from './proxy-session';
import { endsEvent, sseMessage } from './sse-parser';
import { clientResponseHeaders, upstreamRequestHeaders } from './upstream-headers';
import { callUpstream, UpstreamFailure } from './upstream-http';

export interface Attempt {
  upReq: ClientRequest;
  upRes: IncomingMessage;
  key: ProxyKey;
  lease: Lease;
  upstreamSession: string | undefined;
}

export class ProxyFailure extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export interface ExchangeSpec {
  method: 'POST' | 'GET' | 'DELETE';
  body: RequestBody | undefined;
  lastEventId?: string | null;
  /** Re-open the vendor session when it refuses the new key (not for DELETE). */
  mayReopen: boolean;
  /** Called with each upstream request so the caller can cut it. */
  onRequest: (req: ClientRequest) => void;
}

const MAX_ATTEMPTS = 3;
const HEADER_FLUSH_MS = 25;
const CUT_GRACE_MS = 1000;
/** Statuses a vendor uses to refuse a session bound to another key, or a key it no longer takes. */
const REFUSALS = new Set([401, 403, 404]);

/**
 * Sends a client request upstream with the current key. A refusal that a key swap explains is
 * recovered here, invisibly: a stale key is replaced and the request resent; a vendor session
 * bound to the old key is re-opened with the new one. Only replayable (buffered) bodies retry.
 */
export async function sendUpstream(
  px: ProxyContext,
  x: ClientExchange,
  spec: ExchangeSpec,
): Promise<Attempt> {
  const replayable = spec.body === undefined || spec.body.kind === 'buffered';
  const session = x.session;
  for (let attempt = 1; ; attempt++) {
    const key = await currentKey(px, x.route.slug);
    px.counters.keyVersion(x.route.slug, x.client, key.versionId);
    if (session?.prepared && session.boundVersion !== key.versionId)
      await adoptPrepared(px, session, key);
    const upstreamSession = session?.upstreamId;
    const overrides: Record<string, string | undefined> = {};
    if (spec.lastEventId !== undefined) overrides['last-event-id'] = spec.lastEventId ?? undefined;
    const headers = upstreamRequestHeaders(x.req.headers, x.route, key, upstreamSession, overrides);
    const body = spec.body;
    if (body?.kind === 'buffered') headers['content-length'] = String(body.bytes.length);
    const lease = px.usage.acquire(key.versionId);
    const call = callUpstream(
      px.agents,
      x.route.upstream,
      spec.method,
      headers,
      body === undefined ? null : body.kind === 'buffered' ? body.bytes : undefined,
      px.upstreamTimeoutMs,
    );
    spec.onRequest(call.req);
    if (body?.kind === 'streamed') {
      streamBody(body, call.req, px.maxBodyBytes, () =>
        call.req.destroy(new UpstreamFailure('too-large', 'request body too large')),
      );
    }
    let upRes: IncomingMessage;
    try {
      upRes = await call.response;
    } catch (err) {
      lease.release();
      if (err instanceof UpstreamFailure && err.kind === 'too-large') {
        throw new ProxyFailure(tooLarge(px.maxBodyBytes));
      }
      if (err instanceof UpstreamFailure && err.staleSocket && replayable && attempt < MAX_ATTEMPTS)
        continue;
      throw new ProxyFailure(upstreamFailure(err));
    }
    const status = upRes.statusCode ?? 502;
    if (REFUSALS.has(status) && replayable && attempt < MAX_ATTEMPTS) {
      const next = await recovery(px, x, key, upstreamSession, status, spec.mayReopen);
      if (next !== 'pass') {
        upRes.resume();
        call.req.destroy();
        lease.release();
        if (next === 'reopen') {
          noteBoundVendor(px, x.route);
          await reopenOrFail(px, x);
        }
        continue;
      }
    }
    if (status === 401) {
      const current = await px.backend.currentKey(x.route.slug).catch(() => key);
      if (current.versionId === key.versionId)
        px.backend.onKeyRefused(x.route.slug, key.versionId, status);
    }
    return { upReq: call.req, upRes, key, lease, upstreamSession };
  }
}

/** The backend's failure (keychain locked, key gone) becomes a clear answer, not a crash. */
export async function currentKey(px: ProxyContext, slug: string): Promise<ProxyKey> {
  try {
    return await px.backend.currentKey(slug);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ProxyFailure({
      status: 503,
      message: `Keyway has no usable key for connection "${slug}": ${why}`,
    });
  }
}

async function recovery(
  px: ProxyContext,
  x: ClientExchange,
  used: ProxyKey,
  upstreamSession: string | undefined,
  status: number,
  mayReopen: boolean,
): Promise<'retry' | 'reopen' | 'pass'> {
  const session = x.session;
  if (session && session.upstreamId !== upstreamSession) return 'retry';
  const current = await px.backend.currentKey(x.route.slug).catch(() => used);
  if (current.versionId !== used.versionId && (status === 401 || session)) return 'retry';
  if (
    mayReopen &&
    session &&
    session.boundVersion !== used.versionId &&
    session.replay.initialize
  ) {
    return 'reopen';
  }
  return 'pass';
}

async function reopenOrFail(px: ProxyContext, x: ClientExchange): Promise<void> {
  if (!x.session) return;
  try {
    await reopenSession(px, x.route, x.session);
  } catch (err) {
    throw new ProxyFailure({
      status: 502,
      message: `The vendor refused this MCP session after Keyway swapped in a new key, and re-opening it failed: ${
        err instanceof Error ? err.message : String(err)
      }`,
    });
  }
}

export function upstreamFailure(err: unknown): Refusal {
  if (err instanceof UpstreamFailure) {
    return { status: err.kind === 'timeout' ? 504 : 502, message: `Keyway proxy: ${err.message}` };
  }
  if (err instanceof ProxyFailure) return err.refusal;
  return { status: 502, message: 'Keyway proxy: the request to the MCP server failed' };
}

/** Refusals the proxy answers itself instead of passing the vendor's response through. */
export function vendorRefusal(x: ClientExchange, upRes: IncomingMessage): Refusal | undefined {
  const status = upRes.statusCode ?? 502;
  if (status === 401) {
    return {
      status: 502,
      message: `The vendor refused the key Keyway holds for connection "${x.route.slug}" (HTTP 401): rotate or replace the key in Keyway`,
    };
  }
  if (status >= 300 && status < 400 && upRes.headers.location) {
    // Following would send the key wherever the vendor points; passing it on would send the client there.
    return {
      status: 502,
      message: `The MCP server for connection "${x.route.slug}" answered with a redirect (HTTP ${status}); Keyway does not follow redirects with a key on them. Update the connection's MCP URL to the final address.`,
    };
  }
  return undefined;
}

export interface RelayHandle {
  /** Ends the client's response now: with a JSON-RPC error per request when that can be clean. */
  cut(why?: CutReason): void;
}

/**
 * Pipes the vendor's response to the client byte for byte, never holding it whole. `requestIds`
 * are the JSON-RPC requests the response answers: if the proxy has to end an event stream early,
 * it answers each with an error, because an SDK client whose stream merely breaks keeps waiting.
 */
export function relay(
  x: ClientExchange,
  a: Attempt,
  clientSessionId: string | undefined,
  done: () => void,
  requestIds: () => RpcId[] = () => [],
): RelayHandle {
  const { upRes, upReq } = a;
  const status = upRes.statusCode ?? 502;
  if (status >= 400) x.failed();
  x.res.writeHead(status, clientResponseHeaders(upRes.headers, clientSessionId));
  const eventStream = String(upRes.headers['content-type'] ?? '').includes('text/event-stream');
  // Headers go out with the first event (one packet, one wake-up for the client); only a stream
  // that stays quiet gets them on their own, so a client never waits on headers for a long call.
  const flushTimer = eventStream
    ? setTimeout(() => x.res.flushHeaders(), HEADER_FLUSH_MS)
    : undefined;
  if (flushTimer) upRes.once('data', () => clearTimeout(flushTimer));
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    a.lease.release();
    done();
  };
  upRes.pipe(x.res);
  let atBoundary = true;
  let pendingCut: CutReason | undefined;
  const cutNow = (why?: CutReason): void => {
    if (x.res.writableEnded || x.res.destroyed) return;
    upRes.unpipe(x.res);
    upReq.destroy();
    const ids = why && eventStream ? requestIds() : [];
    if (!why || ids.length === 0) return void x.res.destroy();
    for (const id of ids) {
      const error = { code: PROXY_ERROR, message: why.message };
      x.res.write(sseMessage(JSON.stringify({ jsonrpc: '2.0', id, error })));
    }
    x.res.end();
  };
  if (eventStream) {
    // Registered after pipe's own listener: the chunk is already forwarded when this runs.
    upRes.on('data', (chunk: Buffer) => {
      atBoundary = endsEvent(chunk);
      if (pendingCut && atBoundary) cutNow(pendingCut);
    });
  }
  upRes.on('error', () => x.res.destroy());
  upRes.on('close', () => {
    if (!upRes.complete) x.res.destroy();
  });
  x.res.on('close', () => {
    clearTimeout(flushTimer);
    if (!x.res.writableFinished) upReq.destroy();
    finish();
  });
  return {
    cut(why) {
      if (!why || !eventStream || atBoundary) return cutNow(why);
      // Mid-event: let the event finish (briefly) so the errors after it parse cleanly.
      pendingCut = why;
      setTimeout(() => cutNow(), CUT_GRACE_MS).unref();
    },
  };
}
