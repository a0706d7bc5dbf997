import type { KeywayEvent } from '../../shared/contract/events';
import { EVENT_NAMES, type EventName } from '../../shared/contract/names';
import { SseParser } from '../../shared/mcp/sse';

export interface EventStreamOptions {
  url: string;
  token: string;
  fetch: typeof fetch;
  /** First reconnect delay; doubled up to 16× after each failed attempt. */
  retryMs?: number;
}

const KNOWN: ReadonlySet<string> = new Set<EventName>(EVENT_NAMES);

/**
 * One shared `GET /api/events` stream for every subscriber, opened with the first listener and
 * closed with the last. It reconnects after a drop and then asks for a resync, because events
 * sent while it was down are gone.
 */
export class EventStream {
  private readonly listeners = new Set<(event: KeywayEvent) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private opened = false;

  constructor(private readonly opts: EventStreamOptions) {}

  subscribe(listener: (event: KeywayEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.read(abort.signal).then(
      () => this.retry(abort),
      () => this.retry(abort),
    );
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.opened = false;
  }

  private retry(abort: AbortController): void {
    if (this.abort !== abort || abort.signal.aborted) return;
    this.abort = null;
    const base = this.opts.retryMs ?? 1000;
    const delay = base * 2 ** Math.min(this.failures, 4);
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.listeners.size > 0) this.start();
    }, delay);
  }

  private async read(signal: AbortSignal): Promise<void> {
    const res = await this.opts.fetch(this.opts.url, {
      headers: { Authorization: `Bearer ${this.opts.token}`, Accept: 'text/event-stream' },
      signal,
      cache: 'no-store',
    });
    if (!res.ok || !res.body) throw new Error(`event stream answered HTTP ${res.status}`);
    this.failures = 0;
    if (this.opened) for (const l of [...this.resyncListeners]) l();
    this.opened = true;
    const parser = new SseParser((message) => this.dispatch(message.event, message.data));
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  }

  private dispatch(type: string, data: string): void {
    if (!KNOWN.has(type)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const event = { type, payload } as KeywayEvent;
    for (const l of [...this.listeners]) l(event);
  }
}
