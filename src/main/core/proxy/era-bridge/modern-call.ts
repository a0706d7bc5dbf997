import type { Forwarder } from '../forward/forward';
import { ProxyFailure, vendorRefusal } from '../forward/forward';
import type { ProxyRequest } from '../proxy-request';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { parseRpc, sameId } from '../../../../shared/mcp/messages';
import { SseParser } from '../../../../shared/mcp/sse';

/**
 * The largest answer the bridge holds (it must read an answer whole to translate it; the
 * pass-through proxy streams instead). A bigger one fails that call, never the process.
 */
export const MAX_BRIDGED_ANSWER = 32 * 1024 * 1024;

/** One modern request in flight at the server. */
export interface ModernCall {
  /** The key version it went out with. */
  readonly versionId: string;
  /** The server's answer (for a listen stream, its graceful end). */
  readonly answer: Promise<RpcMessage>;
  /** Ends the exchange now: the client left, or a listen stream was replaced. */
  close(): void;
}

/**
 * Sends one modern request upstream for the client request `x`, through the forward step (the
 * one place a key is put on a request; a stale key is replaced and the request resent there).
 * Messages the server sends before its answer (progress, log messages, a listen stream's
 * notifications) go to `onMessage` as they arrive.
 */
export async function startModernCall(
  fw: Forwarder,
  x: ProxyRequest,
  message: RpcMessage,
  headers: Record<string, string | undefined>,
  onMessage: (m: RpcMessage) => void,
): Promise<ModernCall> {
  const bytes = Buffer.from(JSON.stringify(message));
  const a = await fw.send(x, {
    method: 'POST',
    body: { kind: 'buffered', bytes },
    mayReopen: false,
    headers,
  });
  const refusal = vendorRefusal(x.route, a.upRes);
  if (refusal) {
    a.upRes.discard();
    a.lease.release();
    throw new ProxyFailure(refusal);
  }
  const upRes = a.upRes;
  const answer = upRes.isEventStream
    ? streamedAnswer(upRes, message.id, onMessage)
    : upRes.readAll(MAX_BRIDGED_ANSWER).then((body) => {
        const parsed = parseRpc(body.toString('utf8'));
        if (parsed && !Array.isArray(parsed) && (parsed.result ?? parsed.error) !== undefined)
          return parsed;
        throw new ProxyFailure({
          status: 502,
          message: `The MCP server answered HTTP ${upRes.status} without a JSON-RPC answer`,
        });
      });
  const settled = answer.finally(() => a.lease.release());
  // The caller may only ever close it; an unread failure must not become an unhandled rejection.
  settled.catch(() => undefined);
  return {
    versionId: a.key.versionId,
    answer: settled,
    close: () => {
      a.call.abort();
      a.lease.release();
    },
  };
}

function streamedAnswer(
  upRes: Parameters<typeof vendorRefusal>[1],
  id: RpcMessage['id'],
  onMessage: (m: RpcMessage) => void,
): Promise<RpcMessage> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const parser = new SseParser(
      (event) => {
        if (answered || event.data === '') return;
        const m = parseRpc(event.data);
        if (!m || Array.isArray(m)) return;
        if (m.method === undefined && sameId(m.id, id ?? null)) {
          answered = true;
          resolve(m);
        } else onMessage(m);
      },
      { maxEventBytes: MAX_BRIDGED_ANSWER },
    );
    upRes.consume({
      data: (chunk) => {
        parser.feed(chunk);
        return true;
      },
      end: () => {
        if (!answered)
          reject(
            new ProxyFailure({
              status: 502,
              message: 'The MCP server closed its stream before answering',
            }),
          );
      },
      error: (err) => {
        if (!answered) reject(err);
      },
    });
  });
}
