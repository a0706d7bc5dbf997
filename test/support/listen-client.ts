// A real SDK v2 client (2026-07-28 only) holding a `subscriptions/listen` stream through Keyway,
// counting what reaches it: the numbered changes, the refetch notifications, the listen POSTs it
// made itself, and the subscription ids the notifications carried.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const SUB = 'io.modelcontextprotocol/subscriptionId';

export interface ListenClient {
  client: Client;
  /** Change numbers received, in order (duplicates included). */
  seqs: number[];
  /** tools/list_changed notifications without a number: Keyway's "refetch". */
  refetches: number;
  /** Subscription ids seen on the notifications. */
  subscriptionIds: Set<unknown>;
  /** `subscriptions/listen` POSTs this client sent. */
  listenPosts(): number;
  /** Aborts the client's HTTP requests at once, as a killed client would. */
  abort(): void;
  close(): Promise<void>;
}

export async function connectListenClient(url: string, token: string): Promise<ListenClient> {
  let posts = 0;
  const aborter = new AbortController();
  const counting: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (headers.get('mcp-method') === 'subscriptions/listen') posts++;
    const signal = init?.signal ? AbortSignal.any([init.signal, aborter.signal]) : aborter.signal;
    return fetch(input, { ...init, signal });
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
    fetch: counting,
  });
  const client = new Client(
    { name: 'listen-splice-test', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const out: ListenClient = {
    client,
    seqs: [],
    refetches: 0,
    subscriptionIds: new Set(),
    listenPosts: () => posts,
    abort: () => aborter.abort(),
    close: () => client.close(),
  };
  client.setNotificationHandler('notifications/tools/list_changed', (n) => {
    const meta = (n.params?._meta ?? {}) as Record<string, unknown>;
    out.subscriptionIds.add(meta[SUB]);
    if (typeof meta.seq === 'number') out.seqs.push(meta.seq);
    else out.refetches++;
  });
  await client.connect(transport);
  return out;
}
