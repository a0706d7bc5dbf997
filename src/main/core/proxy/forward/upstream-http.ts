import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import type * as Undici from 'undici';
import type { Logger } from '../../log/logger';
import type { ProxyBackend } from '../proxy-backend';
import type { KeyUsage } from '../session/key-usage';
import { Deadlines } from './deadlines';

/** Headers the proxy sends to a vendor (built by upstream-headers.ts, never copied whole). */
export type UpstreamHeaders = Record<string, string | string[]>;

/** Headers a vendor answered with, names in lower case. */
export type VendorHeaders = Record<string, string | string[] | undefined>;

/** What talking to a vendor needs: connections, key leases, the current key, a time limit. */
export interface VendorAccess {
  readonly agents: UpstreamAgents;
  readonly usage: KeyUsage;
  readonly backend: ProxyBackend;
  readonly timeoutMs: number;
  readonly log: Logger;
}

/**
 * How long an idle vendor connection is kept when the vendor does not say (no `Keep-Alive:
 * timeout=` hint; nginx, and most load balancers in front of vendors, send none). undici's own
 * default is 4 s, so an agent that paused for a few seconds paid a new TCP and TLS handshake
 * on its next call; the fronts vendors sit behind keep idle connections 60 s (AWS ALB) to 75 s
 * (nginx) and longer (Cloudflare, Google's load balancers), so 50 s stays inside them. A vendor
 * that sends a hint is kept for what it says (minus undici's 2 s margin, up to 10 minutes). Each
 * idle socket has one timer that fires once, when it expires: nothing wakes up meanwhile.
 */
export const VENDOR_KEEP_ALIVE_MS = 50_000;

/**
 * The proxy's HTTP client side: undici, kept-alive, one pool per vendor origin shared by every
 * session, so a new client session finds its vendor's connection (and its TLS session) warm.
 * undici's low-level dispatch hands over raw chunks with no stream object per response, which is
 * most of what a forwarded call costs in Node (see test/bench/proxy.bench.ts); it also expires
 * idle sockets before the vendor's own keep-alive timeout, so a call rarely meets a closed socket.
 */
export class UpstreamAgents {
  private agent: Agent | undefined;
  readonly deadlines = new Deadlines();

  /**
   * Made at the first forwarded call: undici is about a third of an idle `keyway serve`'s
   * memory, and an instance nobody calls through never needs it. It is CommonJS, so a
   * synchronous require() loads it right where the first call needs it.
   */
  get dispatcher(): Agent {
    if (!this.agent) {
      const { Agent } = createRequire(import.meta.url)('undici') as typeof Undici;
      this.agent = new Agent({
        connections: 512,
        pipelining: 1,
        keepAliveTimeout: VENDOR_KEEP_ALIVE_MS,
        // HTTP/2 where the vendor offers it (TLS ALPN h2); a vendor that offers only HTTP/1.1 is
        // spoken to as before. With `pipelining: 1` undici gives an h2 connection one call at a
        // time too, so concurrent calls still take one pooled connection each (not multiplexed).
        allowH2: true,
      });
    }
    return this.agent;
  }

  destroy(): void {
    // Closing for good: destroy() ends every socket whatever it reports, and no one is left to tell.
    this.agent?.destroy().catch(() => undefined);
    this.deadlines.destroy();
  }
}

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'reset' | 'too-large',
    message: string,
    /** The request went out on a pooled socket the vendor had just closed: safe to resend. */
    readonly staleSocket = false,
  ) {
    super(message);
  }
}

/** Where the body of a vendor's response goes. */
export interface BodySink {
  /** One chunk, as it arrived; return false to pause the vendor until `resume()`. */
  data(chunk: Buffer): boolean;
  /** The body arrived whole. */
  end(): void;
  /** The body broke off: the vendor reset it, or the exchange was aborted. */
  error(err: Error): void;
}

const FINISHED: BodySink = { data: () => true, end: () => undefined, error: () => undefined };

/** Chunks held for a response nobody reads yet, before the vendor is paused. */
const HOLD_LIMIT = 64 * 1024;

/**
 * A vendor's response: status and headers, and a body delivered to exactly one `BodySink`.
 * Chunks that arrive before the sink is attached are held (briefly: the vendor is paused past
 * HOLD_LIMIT), so a caller may await other things between the headers and reading the body.
 */
export class UpstreamResponse {
  private sink: BodySink | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private outcome: 'end' | Error | undefined;

  constructor(
    readonly status: number,
    readonly headers: VendorHeaders,
    private readonly ctl: Dispatcher.DispatchController,
  ) {}

  get isEventStream(): boolean {
    return String(this.headers['content-type'] ?? '').includes('text/event-stream');
  }

  consume(sink: BodySink): void {
    if (this.sink) throw new Error('a vendor response has one reader');
    this.sink = sink;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    let wantsMore = true;
    for (const chunk of held) wantsMore = sink.data(chunk);
    if (this.outcome === 'end') sink.end();
    else if (this.outcome) sink.error(this.outcome);
    else if (wantsMore) this.ctl.resume();
    else this.ctl.pause();
    if (this.outcome) this.letGo();
  }

  /** Reads and drops the body, so its connection can serve the next request. */
  discard(): void {
    if (!this.sink) this.consume(FINISHED);
  }

  /** After a sink's `data` returned false: the client drained, the vendor may send again. */
  resume(): void {
    this.ctl.resume();
  }

  /** The whole (small) body, for the proxy's own requests only. */
  readAll(limit = 8 * 1024 * 1024): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.consume({
        data: (chunk) => {
          size += chunk.length;
          if (size > limit) {
            this.ctl.abort(new Error(`the MCP server's answer exceeded ${limit} bytes`));
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        end: () => resolve(Buffer.concat(chunks)),
        error: reject,
      });
    });
  }

  /** @internal From the dispatch handler. */
  onData(chunk: Buffer): void {
    if (this.sink) {
      if (!this.sink.data(chunk)) this.ctl.pause();
      return;
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes > HOLD_LIMIT) this.ctl.pause();
  }

  /** @internal */
  onEnd(): void {
    if (this.outcome) return;
    this.outcome = 'end';
    this.sink?.end();
    this.letGo();
  }

  /** @internal */
  onError(err: Error): void {
    if (this.outcome) return;
    this.outcome = err;
    this.sink?.error(err);
    this.letGo();
  }

  /**
   * Over: the sink (and through it the client's request) is no longer referenced from here.
   * undici keeps a finished request's handler for a while; were the whole client request still
   * reachable from it, every call would outlive a young-generation GC (3× the GC time per call).
   */
  private letGo(): void {
    if (this.sink) this.sink = FINISHED;
  }
}

/**
 * One request to a vendor. `response` settles with the response headers (the only wait that is
 * bounded: an SSE body may stay quiet for hours); `abort()` ends the exchange at any point.
 */
export class UpstreamCall {
  readonly response: Promise<UpstreamResponse>;
  private ctl: Dispatcher.DispatchController | undefined;
  private abortWith: Error | undefined;
  private res: UpstreamResponse | undefined;
  private over = false;

  constructor(agents: UpstreamAgents, url: URL, options: CallOptions) {
    const where = url.origin;
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      // Only the wait for response headers is bounded: an SSE body may stay quiet for hours.
      const clearDeadline = agents.deadlines.add(options.timeoutMs, () => {
        const message = `the MCP server at ${where} did not answer within ${options.timeoutMs} ms`;
        this.abort(new UpstreamFailure('timeout', message));
      });
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (ctl) => {
          this.ctl = ctl;
          if (this.abortWith) ctl.abort(this.abortWith);
        },
        onResponseStart: (ctl, status, headers) => {
          if (status < 200) return; // 1xx: informational, the real answer follows
          clearDeadline();
          this.res = new UpstreamResponse(status, headers, ctl);
          resolve(this.res);
        },
        onResponseData: (_ctl, chunk) => this.res?.onData(chunk),
        onResponseEnd: () => {
          this.res?.onEnd();
          this.settle();
        },
        onResponseError: (_ctl, err) => {
          clearDeadline();
          if (this.res) this.res.onError(err);
          else reject(failure(err, where));
          this.settle();
        },
      };
      agents.dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: options.method,
          headers: options.headers,
          // undici streams an async iterable body (Dispatcher.md); its types list only Readable.
          body: options.body as Dispatcher.DispatchOptions['body'],
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        handler,
      );
    });
    // A caller always awaits `response`, but may do so only after other awaits.
    this.response.catch(() => undefined);
  }

  /** The exchange is over, whichever way (the body ended, failed or was aborted). */
  get settled(): boolean {
    return this.over;
  }

  abort(reason?: Error): void {
    if (this.over) return;
    const why = reason ?? new UpstreamFailure('reset', 'Keyway ended the request');
    if (this.ctl) this.ctl.abort(why);
    else this.abortWith = why;
  }

  private settle(): void {
    this.over = true;
  }
}

export interface CallOptions {
  method: 'GET' | 'POST' | 'DELETE';
  headers: UpstreamHeaders;
  /** null: no body; an iterable streams one in (large client bodies). */
  body: Buffer | null | AsyncIterable<Buffer>;
  timeoutMs: number;
}

/** Sends one request to a vendor. */
export function callUpstream(agents: UpstreamAgents, url: URL, options: CallOptions): UpstreamCall {
  return new UpstreamCall(agents, url, options);
}

/** undici's errors, as the proxy words them for a client (its own pass through unchanged). */
function failure(err: Error, where: string): Error {
  if (err instanceof UpstreamFailure) return err;
  const code = (err as { code?: string }).code;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new UpstreamFailure('unreachable', `cannot reach the MCP server at ${where} (${code})`);
  }
  // A socket that had carried earlier answers and closed before this one's headers: the vendor
  // closed an idle keep-alive connection as the request went out. Resending is safe.
  const socket = (err as { socket?: { bytesRead?: number } }).socket;
  const stale = code === 'UND_ERR_SOCKET' && (socket?.bytesRead ?? 0) > 0;
  return new UpstreamFailure(
    'reset',
    `the connection to the MCP server at ${where} failed (${code ?? err.message})`,
    stale,
  );
}
