import type { IncomingMessage } from 'node:http';
import type { Refusal } from './refusal';

/**
 * Bodies up to this size are held until complete, so the proxy can read the JSON-RPC method and
 * resend the request once after a key swap. MCP messages are almost always far smaller; a larger
 * body streams straight through and is never resent.
 */
export const REPLAY_LIMIT = 64 * 1024;

export type RequestBody =
  | { kind: 'buffered'; bytes: Buffer }
  | { kind: 'streamed'; prefix: Buffer; rest: IncomingMessage; declared: number | undefined };

export function tooLarge(maxBytes: number): Refusal {
  return {
    status: 413,
    message: `The request body is larger than the Keyway proxy's limit of ${maxBytes} bytes`,
    headers: { connection: 'close' },
  };
}

export function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Reads up to `replayLimit` bytes; beyond that the rest is left paused in `req` for streaming. */
export function readRequestBody(
  req: IncomingMessage,
  maxBytes: number,
  replayLimit: number,
): Promise<RequestBody | Refusal> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > maxBytes) return Promise.resolve(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // The listeners stay on the request (its own, gone with it); after the first outcome they
    // do nothing. Only handing the rest over for streaming takes 'data' off again.
    let settled = false;
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) {
        settled = true;
        resolve(tooLarge(maxBytes));
      } else if (size > replayLimit) {
        settled = true;
        req.pause();
        req.off('data', onData);
        resolve({ kind: 'streamed', prefix: Buffer.concat(chunks), rest: req, declared });
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (settled) return;
      settled = true;
      // A copy, always: a chunk is a view of the socket's whole read buffer, which a body kept
      // for a replay (or by the upstream request) would otherwise keep alive with it.
      resolve({ kind: 'buffered', bytes: Buffer.concat(chunks, size) });
    });
    req.once('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    // The client gave up mid-body: no 'end' will come (and not always an 'error').
    req.once('close', () => {
      if (settled) return;
      settled = true;
      reject(new Error('the client closed the request before its body was complete'));
    });
  });
}

/**
 * The rest of a large body as it arrives, for the upstream request to stream out; the size limit
 * is enforced as bytes come in, and a client that gives up mid-body ends the upstream request.
 */
export async function* streamedBody(
  body: Extract<RequestBody, { kind: 'streamed' }>,
  maxBytes: number,
  tooLargeError: () => Error,
): AsyncGenerator<Buffer> {
  let size = body.prefix.length;
  yield body.prefix;
  for await (const chunk of body.rest) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw tooLargeError();
    yield buf;
  }
  if (!body.rest.complete)
    throw new Error('the client closed the request before its body was complete');
}
