/**
 * The one incremental `text/event-stream` parser (WHATWG rules: any line ending, also split
 * between chunks; comments; multi-line data; the last event id kept across events). It works on
 * bytes, not strings, so the proxy knows where events end in the bytes it relays and can switch
 * an upstream stream without tearing an event; it has no dependency (not even Buffer), so the
 * renderer, `keyway bridge` and `keyway run` load it as cheaply as the proxy.
 *
 * It is bounded: an event (or a line) larger than `maxEventBytes` is dropped whole, the parser
 * skips to the next event and reports it with `onOverflow`; its memory never grows past the bound,
 * whatever a server sends.
 */

export interface SseEvent {
  event: string;
  data: string;
  /** The stream's last event id at dispatch time, as a browser's EventSource would report it. */
  id: string | undefined;
}

export interface SseParserOptions {
  /** Largest event (all its lines) kept; bigger ones are dropped. Default 64 MiB. */
  maxEventBytes?: number;
  /** An event was too large and was dropped. */
  onOverflow?: () => void;
}

export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

export class SseParser {
  lastEventId: string | undefined;
  /** True when every byte seen so far belongs to a complete event (or a comment/blank line). */
  atBoundary = true;
  private pieces: Uint8Array[] = [];
  private pieceBytes = 0;
  private skipLf = false;
  private data: string[] = [];
  private eventBytes = 0;
  private oversize = false;
  /** Bytes of the current line seen while skipping an oversize event. */
  private skippedLineBytes = 0;
  private eventType = '';
  private pendingId: string | undefined;
  private readonly decoder = new TextDecoder();
  private readonly maxEventBytes: number;

  constructor(
    private readonly onEvent?: (event: SseEvent) => void,
    private readonly options: SseParserOptions = {},
  ) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  }

  /** Returns the offsets just past each blank line (event boundary) found in `chunk`. */
  feed(chunk: Uint8Array): number[] {
    const boundaries: number[] = [];
    let pos = 0;
    if (this.skipLf && chunk.length > 0) {
      this.skipLf = false;
      if (chunk[0] === LF) pos = 1;
    }
    while (pos < chunk.length) {
      const end = nextLineEnd(chunk, pos);
      if (end < 0) {
        this.keep(chunk.subarray(pos));
        this.atBoundary = false;
        break;
      }
      const line = this.takeLine(chunk.subarray(pos, end));
      pos = end + 1;
      if (chunk[end] === CR) {
        if (pos < chunk.length) {
          if (chunk[pos] === LF) pos++;
        } else {
          this.skipLf = true;
        }
      }
      if (line === undefined) {
        this.atBoundary = false; // the rest of an oversize line: skipped
      } else if (line.length === 0) {
        this.dispatch();
        boundaries.push(pos);
      } else {
        this.atBoundary = false;
        this.field(line);
      }
    }
    return boundaries;
  }

  /** Forgets a torn event, keeping the last event id: the stream continues from a fresh one. */
  dropPartial(): void {
    this.pieces = [];
    this.pieceBytes = 0;
    this.skipLf = false;
    this.resetEvent();
    this.atBoundary = true;
  }

  /** Keeps the start of a line, unless the event it belongs to is already over the bound. */
  private keep(piece: Uint8Array): void {
    if (this.oversize) {
      this.skippedLineBytes += piece.length;
      return;
    }
    if (this.eventBytes + this.pieceBytes + piece.length > this.maxEventBytes) {
      this.overflow();
      this.skippedLineBytes = piece.length;
      return;
    }
    // The chunk's memory may be reused by its producer (a stream's pooled buffer): copy.
    this.pieces.push(piece.slice());
    this.pieceBytes += piece.length;
  }

  /** The whole line ending with `last`; undefined for a line of an oversize event (skipped). */
  private takeLine(last: Uint8Array): Uint8Array | undefined {
    if (this.oversize) {
      // Only a blank line matters now: it ends the oversize event.
      const blank = this.skippedLineBytes === 0 && last.length === 0;
      this.skippedLineBytes = 0;
      return blank ? last : undefined;
    }
    if (this.eventBytes + this.pieceBytes + last.length > this.maxEventBytes) {
      this.overflow();
      return undefined;
    }
    const line = this.pieces.length ? concat(this.pieces, last, this.pieceBytes) : last;
    this.pieces = [];
    this.pieceBytes = 0;
    this.eventBytes += line.length;
    return line;
  }

  private overflow(): void {
    this.oversize = true;
    this.skippedLineBytes = 0;
    this.pieces = [];
    this.pieceBytes = 0;
    this.data = [];
  }

  private field(line: Uint8Array): void {
    if (line[0] === COLON) return; // a comment: keep-alives
    const text = this.decoder.decode(line);
    const colon = text.indexOf(':');
    const name = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') this.data.push(value);
    else if (name === 'event') this.eventType = value;
    else if (name === 'id' && !value.includes('\0')) this.pendingId = value;
  }

  private dispatch(): void {
    this.atBoundary = true;
    if (this.oversize) {
      this.resetEvent();
      this.options.onOverflow?.();
      return;
    }
    if (this.pendingId !== undefined) this.lastEventId = this.pendingId;
    const hasData = this.data.length > 0;
    const event = {
      event: this.eventType || 'message',
      data: this.data.join('\n'),
      id: this.lastEventId,
    };
    this.resetEvent();
    if (hasData) this.onEvent?.(event);
  }

  private resetEvent(): void {
    this.data = [];
    this.eventBytes = 0;
    this.oversize = false;
    this.skippedLineBytes = 0;
    this.eventType = '';
    this.pendingId = undefined;
  }
}

function nextLineEnd(chunk: Uint8Array, from: number): number {
  const lf = chunk.indexOf(LF, from);
  const cr = chunk.indexOf(CR, from);
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}

function concat(pieces: Uint8Array[], last: Uint8Array, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes + last.length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  out.set(last, at);
  return out;
}

/** Whether a chunk of an event stream ends exactly between two events. */
export function endsEvent(chunk: Uint8Array): boolean {
  const n = chunk.length;
  if (n >= 2 && chunk[n - 1] === LF && chunk[n - 2] === LF) return true;
  if (n >= 2 && chunk[n - 1] === CR && chunk[n - 2] === CR) return true;
  return (
    n >= 4 &&
    chunk[n - 4] === CR &&
    chunk[n - 3] === LF &&
    chunk[n - 2] === CR &&
    chunk[n - 1] === LF
  );
}

/** One SSE `message` event carrying a JSON-RPC message (which never contains a raw newline). */
export function sseMessage(json: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: message\ndata: ${json}\n\n`;
}
