import { rpcErrorJson } from '../jsonrpc';
import type { RpcId } from '../jsonrpc';
import type { ProxyRequest } from '../proxy-request';
import type { Attempt } from '../forward/forward';
import { clientResponseHeaders } from '../forward/upstream-headers';
import type { CutReason } from '../session/proxy-session';
import { endsEvent, sseMessage } from '../sse-parser';

const HEADER_FLUSH_MS = 25;
const CUT_GRACE_MS = 1000;

export const isEventStream = (a: Attempt): boolean =>
  String(a.upRes.headers['content-type'] ?? '').includes('text/event-stream');

/**
 * The relay step: pipes the vendor's response to the client byte for byte, never holding it
 * whole. `requestIds` are the JSON-RPC requests the response answers: if the proxy has to end an
 * event stream early, it answers each with an error (after the event in progress), because an SDK
 * client whose stream merely breaks keeps waiting. Releasing the lease and the slot is the
 * request's own business (`ProxyRequest.end`); the relay only moves bytes.
 */
export function relay(
  pr: ProxyRequest,
  a: Attempt,
  clientSessionId: string | undefined,
  requestIds: () => RpcId[] = () => [],
): void {
  const { upRes, upReq } = a;
  const res = pr.res;
  const status = upRes.statusCode ?? 502;
  if (status >= 400) pr.failed();
  pr.writeHead(status, clientResponseHeaders(upRes.headers, clientSessionId));
  const eventStream = isEventStream(a);
  // Headers go out with the first event (one packet, one wake-up for the client); only a stream
  // that stays quiet gets them on their own, so a client never waits on headers for a long call.
  const flushTimer = eventStream
    ? setTimeout(() => res.flushHeaders(), HEADER_FLUSH_MS)
    : undefined;
  if (flushTimer) {
    upRes.once('data', () => clearTimeout(flushTimer));
    res.once('close', () => clearTimeout(flushTimer));
  }
  upRes.once('end', () => a.lease.release());
  upRes.pipe(res);
  let atBoundary = true;
  let pendingCut: CutReason | undefined;
  const cutNow = (why?: CutReason): void => {
    if (res.writableEnded || res.destroyed) return;
    upRes.unpipe(res);
    upReq.destroy();
    const ids = why && eventStream ? requestIds() : [];
    if (!why || ids.length === 0) return void res.destroy();
    for (const id of ids) res.write(sseMessage(rpcErrorJson(id, why.message)));
    res.end();
  };
  if (eventStream) {
    // Registered after pipe's own listener: the chunk is already forwarded when this runs.
    upRes.on('data', (chunk: Buffer) => {
      atBoundary = endsEvent(chunk);
      if (pendingCut && atBoundary) cutNow(pendingCut);
    });
  }
  upRes.on('error', () => res.destroy());
  upRes.on('close', () => {
    if (!upRes.complete) res.destroy();
  });
  pr.onCut((why) => {
    if (!why || !eventStream || atBoundary) return cutNow(why);
    // Mid-event: let the event finish (briefly) so the errors after it parse cleanly.
    pendingCut = why;
    setTimeout(() => cutNow(), CUT_GRACE_MS).unref();
  });
}
