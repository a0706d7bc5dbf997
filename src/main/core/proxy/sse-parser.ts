/**
 * A small incremental `text/event-stream` parser with no dependencies, shared by the proxy (which
 * must know where events end so it can switch an upstream stream without tearing an event) and
 * the bridge (which must start fast, so it cannot load the SDK).
 */

export interface SseEvent {
  event: string;
  data: string;
  /** The stream's last event id at dispatch time, as a browser's EventSource would report it. */
  id: string | undefined;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  lastEventId: string | undefined;
  /** True when every byte seen so far belongs to a complete event (or a comment/blank line). */
  atBoundary = true;
  private pieces: Buffer[] = [];
  private skipLf = false;
  private data: string[] = [];
  private eventType = '';
  private pendingId: string | undefined;

  constructor(private readonly onEvent?: (event: SseEvent) => void) {}

  /** Returns the offsets just past each blank line (event boundary) found in `chunk`. */
  feed(chunk: Buffer): number[] {
    const boundaries: number[] = [];
    let pos = 0;
    if (this.skipLf && chunk.length > 0) {
      this.skipLf = false;
      if (chunk[0] === LF) pos = 1;
    }
    while (pos < chunk.length) {
      const end = nextLineEnd(chunk, pos);
      if (end < 0) {
        this.pieces.push(chunk.subarray(pos));
        this.atBoundary = false;
        break;
      }
      const piece = chunk.subarray(pos, end);
      const line = this.pieces.length ? Buffer.concat([...this.pieces, piece]) : piece;
      this.pieces = [];
      pos = end + 1;
      if (chunk[end] === CR) {
        if (pos < chunk.length) {
          if (chunk[pos] === LF) pos++;
        } else {
          this.skipLf = true;
        }
      }
      if (line.length === 0) {
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
    this.skipLf = false;
    this.data = [];
    this.eventType = '';
    this.pendingId = undefined;
    this.atBoundary = true;
  }

  private field(line: Buffer): void {
    if (line[0] === 0x3a) return; // a comment: keep-alives
    const text = line.toString('utf8');
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
    if (this.pendingId !== undefined) this.lastEventId = this.pendingId;
    this.pendingId = undefined;
    const hasData = this.data.length > 0;
    const event = {
      event: this.eventType || 'message',
      data: this.data.join('\n'),
      id: this.lastEventId,
    };
    this.data = [];
    this.eventType = '';
    if (hasData) this.onEvent?.(event);
  }
}

function nextLineEnd(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf(LF, from);
  const cr = chunk.indexOf(CR, from);
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}

/** Whether a chunk of an event stream ends exactly between two events. */
export function endsEvent(chunk: Buffer): boolean {
  const n = chunk.length;
  if (n >= 2 && chunk[n - 1] === LF && chunk[n - 2] === LF) return true;
  if (n >= 2 && chunk[n - 1] === CR && chunk[n - 2] === CR) return true;
  return n >= 4 && chunk.subarray(n - 4).equals(CRLF2);
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** One SSE `message` event carrying a JSON-RPC message (which never contains a raw newline). */
export function sseMessage(json: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: message\ndata: ${json}\n\n`;
}
