import { OP_NAMES, type OpName } from '../../shared/contract/names';
import { KeywayError, isErrorBody } from '../../shared/errors';
import { EventStream } from './event-stream';
import type { KeywayClient } from './keyway-client';

export interface HttpClientOptions {
  /** `http://127.0.0.1:PORT` — the page's own origin in the web UI. */
  baseUrl: string;
  /** The control token from the page URL fragment. */
  token: string;
  fetch?: typeof fetch;
  retryMs?: number;
}

/**
 * The contract over `keyway serve`'s control API: `POST /api/op/<name>` answered `{result}` or
 * `{error}`, and `GET /api/events` as SSE read through fetch (EventSource cannot send the
 * Authorization header).
 */
export function createHttpClient(opts: HttpClientOptions): KeywayClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);

  async function call(name: OpName, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/op/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(input ?? {}),
        cache: 'no-store',
      });
    } catch {
      throw new KeywayError(
        'internal',
        `Keyway is not answering at ${base}; is \`keyway serve\` still running?`,
      );
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
  }

  const events = new EventStream({
    url: `${base}/api/events`,
    token: opts.token,
    fetch: doFetch,
    ...(opts.retryMs === undefined ? {} : { retryMs: opts.retryMs }),
  });
  const own = {
    shell: 'browser' as const,
    onEvent: (listener: Parameters<KeywayClient['onEvent']>[0]) => events.subscribe(listener),
    onResync: (listener: () => void) => events.onResync(listener),
  };
  // Built from the zod-free name list, so the contract's schemas stay out of the bundle; the
  // server validates every input anyway.
  const ops = Object.fromEntries(
    OP_NAMES.map((name) => [name, (input: unknown) => call(name, input)]),
  );
  return { ...ops, ...own } as unknown as KeywayClient;
}
