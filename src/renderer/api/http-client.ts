import { OP_NAMES } from '../../shared/contract/names';
import { controlCaller } from '../../shared/control-http';
import { KeywayError } from '../../shared/errors';
import { EventStream } from './event-stream';
import type { KeywayClient } from './keyway-client';

export interface HttpClientOptions {
  /** `http://127.0.0.1:PORT` — the page's own origin in the web UI. */
  baseUrl: string;
  /** The control token from the page URL fragment. */
  token: string;
  fetch?: typeof fetch;
  retryMs?: number;
  /**
   * Keyway refused the token (a link from an earlier start: the token changes at every start).
   * Called once; nothing this client does can work any more.
   */
  onRefused?: () => void;
}

/**
 * The contract over `keyway serve`'s control API: `POST /api/op/<name>` answered `{result}` or
 * `{error}`, and `GET /api/events` as SSE read through fetch (EventSource cannot send the
 * Authorization header).
 */
export function createHttpClient(opts: HttpClientOptions): KeywayClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);

  const caller = controlCaller({
    baseUrl: base,
    token: opts.token,
    fetch: doFetch,
    unreachable: (url) =>
      new KeywayError(
        'internal',
        `Keyway is not answering at ${url}; is \`keyway serve\` still running?`,
      ),
  });

  let refused = false;
  const call: typeof caller = (name, input) =>
    caller(name, input).catch((err: unknown) => {
      if (err instanceof KeywayError && err.code === 'unauthorized' && !refused) {
        refused = true;
        opts.onRefused?.();
      }
      throw err;
    });

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
