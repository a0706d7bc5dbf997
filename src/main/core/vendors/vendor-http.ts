import type { AuthScheme, VendorId } from '../../../shared/domain';
import type { VendorHttpOptions } from './vendor-adapter';
import { VENDOR_NAMES, VendorError } from './vendor-error';

export const VENDOR_HTTP_DEFAULTS: Required<VendorHttpOptions> = {
  timeoutMs: 10_000,
  retries: 2,
  retryBaseMs: 200,
};

export type VendorMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface VendorRequest {
  method: VendorMethod;
  /** Base URL (an account's apiUrl) and the path under it, kept apart so no double slashes. */
  base: string;
  path: string;
  query?: Record<string, string | undefined>;
  auth: AuthScheme;
  secret: string;
  body?: unknown;
  http?: VendorHttpOptions;
  signal?: AbortSignal;
}

interface VendorResponse {
  status: number;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
  /** What the request was, for messages: method and path, never headers or the host's secrets. */
  what: string;
}

/** GET and DELETE may be repeated safely; a POST/PATCH retried could mint a second key. */
const IDEMPOTENT = new Set<VendorMethod>(['GET', 'DELETE']);
/** Statuses where the vendor did nothing and asks to come back (retried for idempotent calls). */
const RETRY_STATUS = new Set([429, 502, 503, 504]);

/** The defaults with every option the account sets (an explicit undefined keeps the default). */
export function httpOptions(http: VendorHttpOptions = {}): Required<VendorHttpOptions> {
  return {
    timeoutMs: http.timeoutMs ?? VENDOR_HTTP_DEFAULTS.timeoutMs,
    retries: http.retries ?? VENDOR_HTTP_DEFAULTS.retries,
    retryBaseMs: http.retryBaseMs ?? VENDOR_HTTP_DEFAULTS.retryBaseMs,
  };
}

function vendorUrl(base: string, path: string, query?: VendorRequest['query']): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

export function authHeaderValue(auth: AuthScheme, secret: string): string {
  return `${auth.prefix}${secret}`;
}

/**
 * The one way adapters call a vendor's REST API: a timeout on every attempt, bounded retries with
 * backoff for idempotent calls only, and failures mapped to VendorError without the key, the
 * headers or the response body in the message. Any HTTP status is returned for the adapter to map.
 */
export async function vendorRequest(vendor: VendorId, req: VendorRequest): Promise<VendorResponse> {
  const opts = httpOptions(req.http);
  const url = vendorUrl(req.base, req.path, req.query);
  const what = `${req.method} ${url.pathname}`;
  const attempts = IDEMPOTENT.has(req.method) ? 1 + Math.max(0, opts.retries) : 1;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    [req.auth.header]: authHeaderValue(req.auth, req.secret),
  };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';

  let failure: VendorError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await backoff(opts.retryBaseMs * 2 ** (attempt - 1), req.signal);
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      const res = await fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
        // A redirect could carry the key to another origin; vendors answer in place.
        redirect: 'manual',
      });
      const text = await res.text();
      if (RETRY_STATUS.has(res.status) && attempt + 1 < attempts) continue;
      return { status: res.status, body: parseJson(text), what };
    } catch (e) {
      if (req.signal?.aborted) throw req.signal.reason;
      failure = networkError(vendor, what, url, e, timeout.aborted, opts.timeoutMs);
    }
  }
  throw failure ?? new VendorError(vendor, 'network', `${VENDOR_NAMES[vendor]}: ${what} failed`);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function backoff(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/** Maps fetch's failure to a message naming the host and the cause code, never the request itself. */
export function networkError(
  vendor: VendorId,
  what: string,
  url: URL,
  e: unknown,
  timedOut: boolean,
  timeoutMs: number,
): VendorError {
  const name = VENDOR_NAMES[vendor];
  if (timedOut || (e instanceof Error && e.name === 'TimeoutError')) {
    return new VendorError(
      vendor,
      'timeout',
      `${name} did not answer ${what} at ${url.host} within ${Math.round(timeoutMs / 100) / 10} s; the key was not judged`,
    );
  }
  const code = causeCode(e);
  return new VendorError(
    vendor,
    'network',
    `${name} is unreachable at ${url.host} (${code}) on ${what}: check the URL and the network; the key was not judged`,
  );
}

function causeCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = cur as { code?: unknown; cause?: unknown };
    if (typeof c.code === 'string') return c.code;
    cur = c.cause;
  }
  return 'connection failed';
}
