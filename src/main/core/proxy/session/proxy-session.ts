import { randomUUID } from 'node:crypto';
import type { SessionReplay } from '../../../../shared/mcp/session-replay';
import { OrderGate } from './order-gate';

/** Why the proxy ends a client's request itself (its token was revoked, the proxy closes). */
export interface CutReason {
  status: number;
  message: string;
}

/** Something running for a client that `endClient` and `close` must be able to cut at once. */
export interface Cuttable {
  cut(why?: CutReason): void;
}

/** A long-lived GET stream the proxy can move to another key or upstream session. */
export interface Rebindable extends Cuttable {
  readonly versionId: string | undefined;
  rebind(): void;
}

/** A vendor session opened with the next key ahead of its swap (see session-prepare.ts). */
export interface PreparedSession {
  readonly versionId: string;
  /** The vendor's id for it; undefined when opening it failed. */
  readonly ready: Promise<string | undefined>;
  /** What the client had asked the vendor to remember when it was opened. */
  readonly replayed: string;
  /** The session now uses it: nothing left to clean up. */
  adopt(): void;
  /** Unused after all: forgotten here and DELETEd at the vendor, best effort. */
  discard(): void;
}

export interface ProxySession {
  /** The id the client sees; the vendor's id stays inside the proxy. */
  readonly id: string;
  readonly slug: string;
  readonly client: string;
  upstreamId: string | undefined;
  /** The key version the vendor session last worked with. */
  boundVersion: string;
  replay: SessionReplay;
  inFlight: number;
  /** Epoch ms of the last request the client made in it. */
  lastActive: number;
  closed: boolean;
  reopening: Promise<void> | undefined;
  /** Set between a rotation's announcement of its new key and this session's first use of it. */
  prepared?: PreparedSession;
  streams: Set<Rebindable>;
  /** Keeps the session's requests in the client's order where a vendor needs it. */
  readonly order: OrderGate;
  /** Set for a legacy HTTP+SSE upstream (see legacy-sse.ts). */
  onClose?: () => void;
}

/** A client session began (the vendor accepted its initialize) or ended, for the audit log. */
export interface SessionEvent {
  type: 'connected' | 'disconnected';
  slug: string;
  client: string;
  sessionId: string;
}

/**
 * Every client session of the proxy, and the one source of its connected/disconnected events: a
 * session is announced once the vendor accepted it, and said to be gone when it is removed.
 */
export class SessionTable {
  private readonly byId = new Map<string, ProxySession>();
  private readonly announced = new WeakSet<ProxySession>();

  constructor(private readonly onEvent: (event: SessionEvent) => void = () => undefined) {}

  /** The session is in use: its client is connected. */
  announce(session: ProxySession): void {
    if (session.closed || this.announced.has(session)) return;
    this.announced.add(session);
    this.emit('connected', session);
  }

  private emit(type: SessionEvent['type'], s: ProxySession): void {
    this.onEvent({ type, slug: s.slug, client: s.client, sessionId: s.id });
  }

  create(slug: string, client: string, boundVersion: string, replay: SessionReplay): ProxySession {
    const session: ProxySession = {
      id: randomUUID(),
      slug,
      client,
      upstreamId: undefined,
      boundVersion,
      replay,
      inFlight: 0,
      lastActive: Date.now(),
      closed: false,
      reopening: undefined,
      streams: new Set(),
      order: new OrderGate(),
    };
    this.byId.set(session.id, session);
    return session;
  }

  /** Another client's session answers exactly like an unknown one: no id oracle. */
  find(id: string, slug: string, client: string): ProxySession | undefined {
    const session = this.byId.get(id);
    return session && session.slug === slug && session.client === client ? session : undefined;
  }

  remove(session: ProxySession): boolean {
    if (session.closed) return false;
    session.closed = true;
    this.byId.delete(session.id);
    for (const stream of session.streams) stream.cut();
    session.streams.clear();
    session.onClose?.();
    session.prepared?.discard();
    session.order.clear();
    if (this.announced.has(session)) this.emit('disconnected', session);
    return true;
  }

  all(): ProxySession[] {
    return [...this.byId.values()];
  }

  /** Sessions a client abandoned without a DELETE: nothing in flight, no stream, long idle. */
  idle(olderThanMs: number): ProxySession[] {
    const before = Date.now() - olderThanMs;
    return this.all().filter((s) => s.inFlight === 0 && s.lastActive < before);
  }
}
