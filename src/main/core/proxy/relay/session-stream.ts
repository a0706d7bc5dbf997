import { setTimeout as delay } from 'node:timers/promises';
import type { Attempt, ExchangeSpec, Forwarder } from '../forward/forward';
import { clientResponseHeaders } from '../forward/upstream-headers';
import type { ProxyRequest } from '../proxy-request';
import type { Rebindable } from '../session/proxy-session';
import { SseParser } from '../../../../shared/mcp/sse';
import { relay } from './relay';

const CONFLICT_RETRIES = 40;
/** The longest a session's later requests wait for its GET stream to open at the vendor. */
const ORDER_GATE_MS = 2000;

/**
 * A GET event stream. Unlike a POST response it may live for hours, so when its key is drained
 * or its vendor session re-opened, the proxy moves it: it cuts the upstream stream at an event
 * boundary and reconnects upstream (with `Last-Event-ID` when the vendor numbers its events)
 * while the client's response stays open. The client never sees the switch.
 */
export class SessionStream implements Rebindable {
  private attempt: Attempt | undefined;
  private readonly parser = new SseParser();
  /** The vendor session the parser's event ids belong to. */
  private idsFrom: string | undefined;
  private cutWanted = false;
  private switching = false;
  private ended = false;

  constructor(
    private readonly fw: Forwarder,
    private readonly x: ProxyRequest,
    private readonly initialLastEventId: string | undefined,
  ) {}

  get versionId(): string | undefined {
    return this.attempt?.key.versionId;
  }

  async start(): Promise<void> {
    const { x } = this;
    const opened = orderGate(x);
    const a = await this.fw.attempt(x, this.spec(undefined)).finally(opened);
    if (!a) return;
    if (!isOk(a) || x.res.destroyed) return relay(x, a, x.session?.id);
    x.writeHead(a.upRes.status, clientResponseHeaders(a.upRes.headers, x.session?.id));
    x.res.flushHeaders();
    x.res.once('close', () => this.cut());
    x.onCut(() => this.cut());
    x.session?.streams.add(this);
    this.attach(a);
  }

  rebind(): void {
    if (this.ended || !this.x.session) return;
    this.cutWanted = true;
    if (!this.switching && this.parser.atBoundary) void this.switchNow();
  }

  cut(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    this.x.res.destroy();
    this.x.session?.streams.delete(this);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    this.x.res.end();
    this.x.session?.streams.delete(this);
  }

  private spec(lastEventId: string | null | undefined): ExchangeSpec {
    return { method: 'GET', body: undefined, lastEventId, mayReopen: true };
  }

  private attach(a: Attempt): void {
    this.attempt = a;
    this.idsFrom = a.upstreamSession;
    const over = (): void => {
      if (this.attempt === a && !this.switching) this.end();
    };
    a.upRes.consume({
      data: (chunk) => (this.attempt === a ? this.forward(a, chunk) : true),
      end: over,
      error: over,
    });
  }

  private detach(): void {
    const a = this.attempt;
    this.attempt = undefined;
    if (!a) return;
    a.call.abort();
    a.lease.release();
  }

  /** Passes a chunk on; false when the client is slow (the vendor waits for its 'drain'). */
  private forward(a: Attempt, chunk: Buffer): boolean {
    const boundaries = this.parser.feed(chunk);
    if (this.cutWanted && !this.switching) {
      const last = boundaries[boundaries.length - 1];
      if (last === undefined) return this.write(a, chunk);
      // Only whole events reach the client; a torn tail comes again after the resume.
      this.write(a, chunk.subarray(0, last));
      void this.switchNow();
      return true;
    }
    return this.write(a, chunk);
  }

  private write(a: Attempt, chunk: Buffer): boolean {
    const res = this.x.res;
    if (chunk.length === 0 || res.writableEnded || res.destroyed) return true;
    if (res.write(chunk)) return true;
    res.once('drain', () => a.upRes.resume());
    return false;
  }

  private async switchNow(): Promise<void> {
    if (this.switching || this.ended) return;
    this.switching = true;
    this.cutWanted = false;
    this.detach();
    this.parser.dropPartial();
    try {
      for (let i = 0; i < CONFLICT_RETRIES && !this.ended; i++) {
        const session = this.x.session;
        const sameSession = session !== undefined && this.idsFrom === session.upstreamId;
        const resumeFrom = sameSession
          ? (this.parser.lastEventId ?? this.initialLastEventId ?? null)
          : null;
        const a = await this.fw.send(this.x, this.spec(resumeFrom));
        if (a.upRes.status === 409) {
          // The vendor has not yet noticed the old stream is gone (one GET stream per session).
          a.upRes.discard();
          a.lease.release();
          await delay(25);
          continue;
        }
        if (!isOk(a) || this.ended) {
          a.call.abort();
          a.lease.release();
          break;
        }
        this.attach(a);
        return;
      }
      this.end();
    } catch {
      this.end();
    } finally {
      this.switching = false;
      if (this.cutWanted && !this.ended) this.rebind();
    }
  }
}

function isOk(a: Attempt): boolean {
  const status = a.upRes.status;
  return status >= 200 && status < 300 && a.upRes.isEventStream;
}

/**
 * Holds the session's order gate until the vendor has answered this GET (see order-gate.ts).
 * Returns the opener; the gate also opens by itself after ORDER_GATE_MS, or if the client leaves.
 */
function orderGate(x: ProxyRequest): () => void {
  const session = x.session;
  if (!session) return () => undefined;
  const opened = session.order.streamOpening(ORDER_GATE_MS);
  x.res.once('close', opened);
  return opened;
}
