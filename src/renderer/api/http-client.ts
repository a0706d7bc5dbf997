import type { OpName } from '../../shared/contract';
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
  // A Proxy rather than a table built from the contract's runtime list: the contract drags
  // zod into the bundle, and the server validates every input anyway. Operation names are
  // still checked at compile time through the KeywayApi type.
  const ops = new Map<string, (input: unknown) => Promise<unknown>>();
  return new Proxy(own, {
    get(target, prop) {
      if (typeof prop !== 'string') return undefined;
      if (Object.hasOwn(target, prop)) return target[prop as keyof typeof own];
      // Only operation names: never `then` (a thenable client would be awaited by mistake).
      if (!/^(status|[a-z]+\.[a-zA-Z]+)$/.test(prop)) return undefined;
      let fn = ops.get(prop);
      if (!fn) {
        fn = (input: unknown) => call(prop as OpName, input);
        ops.set(prop, fn);
      }
      return fn;
    },
  }) as unknown as KeywayClient;
}
