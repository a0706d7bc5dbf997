import type { Attempt } from '../forward/forward';
import { SseParser } from '../../../../shared/mcp/sse';

/** Where one upstream listen stream's content goes (see listen-stream.ts). */
export interface ListenSink {
  /** Bytes as the vendor sent them; false when the client is slow (the vendor waits). */
  raw(chunk: Buffer, from: ListenUpstream): boolean;
  /** One whole event's data, once the stream is read event by event. */
  event(data: string, from: ListenUpstream): void;
  /** Only comments (keep-alives) came, while read event by event. */
  quiet(from: ListenUpstream): void;
  /** A switch from bytes to events just happened at an event boundary. */
  settled(from: ListenUpstream): void;
  /** The vendor's stream is over: ended, or broke off. */
  over(from: ListenUpstream, broke: boolean): void;
}

type Mode = 'raw' | 'events';

/**
 * One upstream `subscriptions/listen` response stream, read either as bytes (passed through
 * untouched, the proxy's rule) or event by event (while it is being spliced, or when its
 * subscription id must be rewritten). A switch takes effect only at an event boundary, so the
 * client never gets half an event from one mode and the rest from the other.
 */
export class ListenUpstream {
  private mode: Mode;
  private wanted: Mode;
  private readonly parser: SseParser;
  private got: string[] = [];
  private closed = false;

  constructor(
    readonly attempt: Attempt,
    private readonly sink: ListenSink,
    mode: Mode,
  ) {
    this.mode = mode;
    this.wanted = mode;
    this.parser = new SseParser((event) => this.got.push(event.data));
  }

  /** Starts reading (separate from construction: the sink hears of chunks already held). */
  begin(): this {
    this.attempt.upRes.consume({
      data: (chunk) => this.data(chunk),
      end: () => this.over(false),
      error: () => this.over(true),
    });
    return this;
  }

  get versionId(): string {
    return this.attempt.key.versionId;
  }

  /** Bytes of an event already went to the client raw and the rest has not: nothing may cut in. */
  get midEvent(): boolean {
    return this.mode === 'raw' && !this.parser.atBoundary;
  }

  /** Read from the next event boundary on as `mode` (bytes up to it keep the current mode). */
  want(mode: Mode): void {
    this.wanted = mode;
    if (this.parser.atBoundary) this.mode = mode;
  }

  /** Ends the upstream exchange and gives back its key lease; nothing more reaches the sink. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.attempt.call.abort();
    this.attempt.lease.release();
  }

  private data(chunk: Buffer): boolean {
    if (this.closed) return true;
    const boundaries = this.parser.feed(chunk);
    const events = this.got;
    this.got = [];
    if (this.mode === 'raw') {
      const last = boundaries[boundaries.length - 1];
      if (this.wanted === 'raw' || last === undefined) return this.sink.raw(chunk, this);
      // The events up to `last` go raw, whole; the torn one after it comes out as an event.
      this.mode = 'events';
      this.sink.raw(chunk.subarray(0, last), this);
      this.sink.settled(this);
      return true;
    }
    for (const data of events) {
      if (this.closed) return true;
      this.sink.event(data, this);
    }
    if (events.length === 0 && boundaries.length > 0) this.sink.quiet(this);
    if (this.wanted === 'raw' && this.parser.atBoundary) this.mode = 'raw';
    return true;
  }

  private over(broke: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.attempt.lease.release();
    this.sink.over(this, broke);
  }
}
