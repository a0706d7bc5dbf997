import { rpcErrorJson } from '../../../../shared/mcp/messages';
import type { RpcId } from '../../../../shared/mcp/messages';
import type { ProxyRequest } from '../proxy-request';
import type { Attempt } from '../forward/forward';
import { clientResponseHeaders } from '../forward/upstream-headers';
import type { CutReason } from '../session/proxy-session';
import { endsEvent, sseMessage } from '../../../../shared/mcp/sse';

const CUT_GRACE_MS = 1000;

/**
 * The relay step: passes the vendor's response to the client byte for byte as it arrives, never
 * holding it whole. `requestIds` are the JSON-RPC requests the response answers: if the proxy has
 * to end an event stream early, it answers each with an error (after the event in progress),
 * because an SDK client whose stream merely breaks keeps waiting. Releasing the lease and the
 * slot is the request's own business (`ProxyRequest.end`); the relay only moves bytes.
 */
export function relay(
  pr: ProxyRequest,
  a: Attempt,
  clientSessionId: string | undefined,
  requestIds: () => RpcId[] = () => [],
): void {
  const { upRes, call } = a;
  const res = pr.res;
  if (upRes.status >= 400) pr.failed();
  pr.writeHead(upRes.status, clientResponseHeaders(upRes.headers, clientSessionId));
  const eventStream = upRes.isEventStream;
  let corked = false;
  let stopped = false;
  let atBoundary = true;
  let pendingCut: CutReason | undefined;
  const open = (): boolean => !stopped && !res.writableEnded && !res.destroyed;
  const cutNow = (why?: CutReason): void => {
    if (!open()) return;
    stopped = true;
    call.abort();
    const ids = why && eventStream ? requestIds() : [];
    if (!why || ids.length === 0) return void res.destroy();
    for (const id of ids) res.write(sseMessage(rpcErrorJson(id, why.message)));
    res.end();
  };
  upRes.consume({
    data(chunk) {
      if (!open()) return true;
      // What the vendor sent in one read leaves in one write, with the end of the response when
      // that came in the same read: one packet for the client instead of two or three. (The
      // socket's cork, not the response's: `res.cork()` holds chunks back until after the
      // terminating chunk that `res.end()` writes.)
      const socket = res.socket;
      if (!corked && socket) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      const more = res.write(chunk);
      if (eventStream) {
        atBoundary = endsEvent(chunk);
        if (pendingCut && atBoundary) cutNow(pendingCut);
      }
      if (!more) res.once('drain', () => upRes.resume());
      return more;
    },
    end() {
      a.lease.release();
      if (open()) res.end();
    },
    error() {
      if (!stopped) res.destroy();
    },
  });
  // What the vendor already sent was written above, headers with it (one packet, one wake-up
  // for the client). A stream with nothing to pass on yet gets its headers now, so a client
  // never waits on them while a long call runs.
  if (eventStream && !res.headersSent && open()) res.flushHeaders();
  pr.onCut((why) => {
    if (!why || !eventStream || atBoundary) return cutNow(why);
    // Mid-event: let the event finish (briefly) so the errors after it parse cleanly.
    pendingCut = why;
    setTimeout(() => cutNow(), CUT_GRACE_MS).unref();
  });
}
