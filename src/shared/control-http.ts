import type { OpName } from './contract/names';
import { KeywayError, isErrorBody } from './errors';

/** What `controlCaller` needs of fetch: the browser's or Node's, or the CLI's loopback one. */
export type ControlFetch = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    cache?: RequestCache;
    signal?: AbortSignal;
  },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

interface ControlHttpOptions {
  /** `http://127.0.0.1:PORT` of a running Keyway. */
  baseUrl: string;
  /** The control token (from the keychain, or the web UI's URL fragment). */
  token: string;
  fetch?: ControlFetch;
  /** Gives up on a call after this long; no limit when absent. */
  timeoutMs?: number;
  /** What to tell the user when Keyway does not answer at all (the next step differs per caller). */
  unreachable?: (baseUrl: string, err: Error) => KeywayError;
}

type ControlCall = (name: OpName, input: unknown) => Promise<unknown>;

/**
 * The one HTTP caller of the control API, for the CLI, the web UI and the tests:
 * `POST /api/op/<name>` with the input as JSON and the control token, answered `{result}` or
 * `{error: {code, message, field}}`. Plain fetch only, so it runs in Node and in the browser.
 */
export function controlCaller(opts: ControlHttpOptions): ControlCall {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch: ControlFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const unreachable =
    opts.unreachable ??
    ((url: string, err: Error) =>
      new KeywayError('internal', `cannot reach Keyway at ${url}: ${err.message}`));
  return async (name, input) => {
    let res: Awaited<ReturnType<ControlFetch>>;
    try {
      res = await doFetch(`${base}/api/op/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(input ?? {}),
        cache: 'no-store',
        ...(opts.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(opts.timeoutMs) }),
      });
    } catch (err) {
      throw unreachable(base, err as Error);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new KeywayError(
        'internal',
        `Keyway answered ${name} with HTTP ${res.status}, not JSON`,
      );
    }
    const error = (body as { error?: unknown } | null)?.error;
    if (isErrorBody(error)) throw KeywayError.fromBody(error);
    if (!res.ok)
      throw new KeywayError('internal', `Keyway answered ${name} with HTTP ${res.status}`);
    return (body as { result?: unknown }).result ?? null;
  };
}
