/**
 * The one `fetch` every outbound OAuth request goes through (discovery, registration, token,
 * refresh, revocation, the 401 probe), handed to the MCP SDK's auth functions as `fetchFn`.
 * An authorization server is a remote party: it may hang after its headers, drip a byte a
 * second, or answer 100 MB. Each request has a deadline for its headers and one in total, and
 * its body is read into memory only up to a cap; past either, the request fails with one line.
 */

export interface OAuthFetchLimits {
  /** Connect + response headers. */
  headersMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
  maxBodyBytes: number;
}

export const OAUTH_FETCH_LIMITS: OAuthFetchLimits = {
  headersMs: 15_000,
  totalMs: 30_000,
  maxBodyBytes: 256 * 1024,
};

export class OAuthFetchError extends Error {}

/** A `fetch` with `limits` (defaults: 15 s to headers, 30 s in total, 256 KiB of body). */
export function boundedFetch(limits: OAuthFetchLimits = OAUTH_FETCH_LIMITS): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const where = `${url.origin}${url.pathname}`;
    const abort = new AbortController();
    let why = '';
    const stop = (reason: string) => () => {
      why = reason;
      abort.abort(new OAuthFetchError(reason));
    };
    const headersTimer = setTimeout(
      stop(`${where} sent no answer within ${limits.headersMs / 1000} s`),
      limits.headersMs,
    );
    const totalTimer = setTimeout(
      stop(`${where} did not finish its answer within ${limits.totalMs / 1000} s`),
      limits.totalMs,
    );
    const callerSignal = init?.signal;
    const onCallerAbort = () => abort.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const res = await fetch(input, { ...init, signal: abort.signal });
      clearTimeout(headersTimer);
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > limits.maxBodyBytes) {
        // Failing anyway with "too large"; a cancel that fails means the socket is already gone.
        await res.body?.cancel().catch(() => undefined);
        throw tooLarge(where, limits);
      }
      const body = await readCapped(res, where, limits);
      return new Response(res.status === 204 || res.status === 304 ? null : body, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    } catch (err) {
      if (err instanceof OAuthFetchError) throw err;
      if (why) throw new OAuthFetchError(why);
      throw err;
    } finally {
      clearTimeout(headersTimer);
      clearTimeout(totalTimer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  };
}

function tooLarge(where: string, limits: OAuthFetchLimits): OAuthFetchError {
  return new OAuthFetchError(
    `${where} answered more than ${Math.round(limits.maxBodyBytes / 1024)} KiB; an OAuth answer is never that large, so Keyway stopped reading`,
  );
}

async function readCapped(
  res: Response,
  where: string,
  limits: OAuthFetchLimits,
): Promise<ArrayBuffer> {
  if (!res.body) return new ArrayBuffer(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limits.maxBodyBytes) {
      // Failing anyway with "too large"; a cancel that fails means the socket is already gone.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(where, limits);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}

/** The fetch of Keyway's OAuth client. */
export const oauthFetch: typeof fetch = boundedFetch();
