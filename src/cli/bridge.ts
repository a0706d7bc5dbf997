import http from 'node:http';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { RpcMessage } from '../shared/mcp/messages';
import { modernHeaders } from '../shared/mcp/modern-headers';
import { pumpEvents, readText } from './bridge-io';

/**
 * `keyway bridge SLUG`: a stdio ↔ Streamable HTTP pump for AI clients that only speak stdio.
 * Each stdin line (one JSON-RPC message) is POSTed to the proxy; JSON or SSE answers come back
 * on stdout one message per line; after `initialized`, a GET stream carries the server's own
 * messages. It stays small on purpose (no SDK, no zod): it starts once per client window.
 */

interface BridgeOptions {
  /** The Keyway instance (`http://127.0.0.1:PORT`) or a full MCP URL. */
  url: string;
  slug: string;
  token: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** How long the proxy may take to accept a connection. Default 3 s. */
  connectTimeoutMs?: number;
}

/** A bare instance URL gets `/mcp/<slug>`; a URL with a path is used as it is. */
export function bridgeEndpoint(url: string, slug: string): URL {
  const base = new URL(url);
  if (base.pathname !== '/' && base.pathname !== '') return base;
  return new URL(`/mcp/${encodeURIComponent(slug)}`, base);
}

export function runBridge(opts: BridgeOptions): Promise<number> {
  return new Bridge(opts).run();
}

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000];

class Bridge {
  private readonly endpoint: URL;
  private readonly agent = new http.Agent({ keepAlive: true });
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private ready: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private stream: ClientRequest | undefined;
  private closing = false;
  private finished = false;
  private done: (code: number) => void = () => undefined;

  constructor(private readonly opts: BridgeOptions) {
    this.endpoint = bridgeEndpoint(opts.url, opts.slug);
  }

  run(): Promise<number> {
    return new Promise((resolve) => {
      this.done = (code) => {
        if (this.finished) return;
        this.finished = true;
        this.closing = true;
        this.stream?.destroy();
        this.agent.destroy();
        resolve(code);
      };
      this.probe();
      let pending = '';
      this.opts.stdin.on('data', (chunk: Buffer | string) => {
        pending += chunk.toString();
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) this.onLine(line);
        }
      });
      this.opts.stdin.on('end', () => {
        if (pending.trim()) this.onLine(pending.trim());
        void this.shutdown();
      });
      this.opts.stdout.on('error', () => this.done(0));
    });
  }

  private fatal(reason: string): void {
    if (this.closing) return;
    this.opts.stderr.write(`keyway bridge: ${reason}\n`);
    this.done(1);
  }

  private unreachable(err: NodeJS.ErrnoException): void {
    const why = err.code ?? err.message;
    this.fatal(
      `cannot reach the Keyway proxy at ${this.endpoint.origin} (${why}); is Keyway running?`,
    );
  }

  /** Fails fast when nothing listens, without delaying the first message. */
  private probe(): void {
    const timeoutMs = this.opts.connectTimeoutMs ?? 3000;
    const socket = connect({
      host: this.endpoint.hostname,
      port: Number(this.endpoint.port || 80),
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      this.fatal(
        `the Keyway proxy at ${this.endpoint.origin} did not accept a connection within ${timeoutMs} ms`,
      );
    });
    socket.once('connect', () => socket.destroy());
    socket.once('error', (err) => this.unreachable(err));
  }

  private onLine(line: string): void {
    let message: RpcMessage | RpcMessage[];
    try {
      message = JSON.parse(line) as RpcMessage | RpcMessage[];
    } catch {
      this.opts.stderr.write('keyway bridge: ignored a stdin line that is not JSON\n');
      return;
    }
    // Everything waits for the latest initialize: its answer carries the session id.
    const messages = Array.isArray(message) ? message : [message];
    const send = (): Promise<void> =>
      this.post(line, messages).catch(() => this.refused(502, 'unreadable answer', messages));
    const initializing = !Array.isArray(message) && message.method === 'initialize';
    const task = initializing ? (this.ready = this.ready.then(send)) : this.ready.then(send);
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private headers(extra: OutgoingHttpHeaders): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { authorization: `Bearer ${this.opts.token}`, ...extra };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    return headers;
  }

  private request(
    method: string,
    headers: OutgoingHttpHeaders,
    body?: string,
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request(this.endpoint, { method, headers, agent: this.agent }, resolve);
      req.on('error', reject);
      if (method === 'GET') this.stream = req;
      req.end(body);
    });
  }

  private async post(line: string, messages: RpcMessage[]): Promise<void> {
    if (this.closing) return;
    const headers = this.headers({
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': Buffer.byteLength(line),
      // A 2026-07-28 message (per-request _meta) carries its version, method and name in headers too.
      ...(messages.length === 1 ? modernHeaders(messages[0]!) : {}),
    });
    let res: IncomingMessage;
    try {
      res = await this.request('POST', headers, line);
    } catch (err) {
      return this.unreachable(err as NodeJS.ErrnoException);
    }
    const session = res.headers['mcp-session-id'];
    if (typeof session === 'string') this.sessionId = session;
    const status = res.statusCode ?? 0;
    const initialize = messages.find((m) => m.method === 'initialize');
    if (status >= 400) return this.refused(status, await readText(res), messages);
    if (status === 202 || status === 204) {
      res.resume();
      if (messages.some((m) => m.method === 'notifications/initialized'))
        this.openStream(undefined, 0);
      return;
    }
    const emit = (data: string): void => {
      if (initialize) this.learnVersion(data, initialize.id);
      this.write(data);
    };
    if (String(res.headers['content-type']).includes('text/event-stream')) {
      await pumpEvents(res, emit);
      return;
    }
    const text = await readText(res);
    if (!text.trim()) return;
    const parsed = JSON.parse(text) as unknown;
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) emit(JSON.stringify(m));
  }

  private learnVersion(data: string, id: RpcMessage['id']): void {
    try {
      const m = JSON.parse(data) as RpcMessage;
      const result = m.result as { protocolVersion?: unknown } | undefined;
      const version = m.id === id ? result?.protocolVersion : undefined;
      if (typeof version === 'string') this.protocolVersion = version;
    } catch {
      // Not JSON: the client will see it and complain; nothing to learn here.
    }
  }

  /** Answers each request the proxy refused with a JSON-RPC error, so the client never waits. */
  private refused(status: number, body: string, messages: RpcMessage[]): void {
    let reason = body.slice(0, 300);
    try {
      const parsed = JSON.parse(body) as RpcMessage;
      const said = (parsed.error as { message?: unknown } | undefined)?.message;
      if (typeof said === 'string') reason = said;
    } catch {
      // Not JSON: the text itself is the reason.
    }
    const message = `Keyway proxy answered HTTP ${status}: ${reason}`;
    for (const m of messages) {
      if (m.method !== undefined && m.id !== undefined && m.id !== null) {
        this.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, error: { code: -32000, message } }));
      }
    }
    if (status === 401) this.fatal(message);
    else this.opts.stderr.write(`keyway bridge: ${message}\n`);
  }

  private write(data: string): void {
    if (this.finished) return;
    // One message per line: re-encode the rare message whose JSON spans lines.
    const line = data.includes('\n') ? JSON.stringify(JSON.parse(data)) : data;
    this.opts.stdout.write(`${line}\n`);
  }

  /** The GET stream for server-initiated messages, resumed with Last-Event-ID when it breaks. */
  private openStream(lastEventId: string | undefined, attempt: number): void {
    if (this.closing || !this.sessionId) return;
    const extra: OutgoingHttpHeaders = { accept: 'text/event-stream' };
    if (lastEventId) extra['last-event-id'] = lastEventId;
    let last = lastEventId;
    const retry = (): void => {
      const delay = RETRY_DELAYS_MS[attempt];
      if (this.closing) return;
      if (delay === undefined) {
        this.opts.stderr.write(
          'keyway bridge: lost the event stream from the proxy; server messages stop\n',
        );
        return;
      }
      setTimeout(() => this.openStream(last, attempt + 1), delay).unref();
    };
    this.request('GET', this.headers(extra)).then(
      async (res) => {
        const status = res.statusCode ?? 0;
        if (status === 405 || status === 404) return void res.resume();
        if (status === 401) return this.refused(status, await readText(res), []);
        if (status !== 200) {
          res.resume();
          return retry();
        }
        attempt = 0;
        await pumpEvents(
          res,
          (data) => this.write(data),
          (id) => (last = id),
          // The stream broke (serve restarted, network cut): retry() resumes from the last id.
        ).catch(() => undefined);
        retry();
      },
      () => retry(),
    );
  }

  private async shutdown(): Promise<void> {
    // A piped script may close stdin right after its request: answer what is in flight first.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.closing = true;
    this.stream?.destroy();
    if (this.sessionId) {
      const timer = setTimeout(() => this.done(0), 2000);
      await this.request('DELETE', this.headers({})).then(
        (res) => res.resume(),
        () => undefined,
      );
      clearTimeout(timer);
    }
    this.done(0);
  }
}
