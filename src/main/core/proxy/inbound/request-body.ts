import type { ClientRequest, IncomingMessage } from 'node:http';
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
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        resolve(tooLarge(maxBytes));
      } else if (size > replayLimit) {
        req.pause();
        cleanup();
        resolve({ kind: 'streamed', prefix: Buffer.concat(chunks), rest: req, declared });
      }
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'buffered', bytes: Buffer.concat(chunks) });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    // The client gave up mid-body: no 'end' will come (and not always an 'error').
    const onClose = (): void => {
      cleanup();
      reject(new Error('the client closed the request before its body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Streams the rest of a large body upstream, enforcing the size limit as bytes arrive. */
export function streamBody(
  body: Extract<RequestBody, { kind: 'streamed' }>,
  upstream: ClientRequest,
  maxBytes: number,
  onTooLarge: () => void,
): void {
  let size = body.prefix.length;
  upstream.write(body.prefix);
  const rest = body.rest;
  rest.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      rest.pause();
      onTooLarge();
      return;
    }
    if (!upstream.write(chunk)) rest.pause();
  });
  upstream.on('drain', () => rest.resume());
  rest.on('end', () => upstream.end());
  // The client gave up mid-body: the vendor must not wait for the rest.
  rest.on('close', () => {
    if (!rest.complete) upstream.destroy();
  });
  rest.resume();
}
