import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { UpstreamCall } from './forward/upstream-http';
import type { Answering, Refusal } from './inbound/refusal';
import { refuse } from './inbound/refusal';
import type { ProxyBackend, ProxyRoute } from './proxy-backend';
import type { ActiveRegistry } from './session/active-registry';
import type { CounterBook, KeyUsage, Lease } from './session/key-usage';
import type { CutReason, Cuttable, ProxySession } from './session/proxy-session';

/** What a request needs from the proxy it runs in. */
export interface RequestDeps {
  backend: ProxyBackend;
  usage: KeyUsage;
  counters: CounterBook;
  active: ActiveRegistry;
}

/** Thrown into a pipeline step that resumes after its client went away: nothing to answer. */
export class Abandoned extends Error {
  constructor() {
    super('the client went away');
  }
}

/**
 * One client request, from arrival to its last byte. It owns everything the request holds — its
 * slot in the session, its key leases, its upstream requests — and gives all of it back in one
 * place, `end()`, which runs exactly once: when the client's response closes, for whatever reason
 * (answered, cut, or abandoned mid-body, mid-chunk or mid-stream). No step can forget a release,
 * because no step releases anything itself.
 */
export class ProxyRequest implements Cuttable {
  readonly at = Date.now();
  private readonly t0 = performance.now();
  private upstreamMs = 0;
  private readonly leases = new Set<Lease>();
  private readonly calls = new Set<UpstreamCall>();
  private readonly untrack: () => void;
  private cutter: ((why?: CutReason) => void) | undefined;
  private reported = false;
  private failedOnce = false;
  private keywayAnswered = false;
  private refusedBy: Refusal['cause'];
  private answering: Answering | undefined;
  ended = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly route: ProxyRoute,
    readonly client: string,
    readonly session: ProxySession | undefined,
    private readonly deps: RequestDeps,
  ) {
    if (session) session.inFlight++;
    this.untrack = deps.active.add(client, this);
    res.once('close', () => this.end());
  }

  /** Holds `versionId` (a rotation's drain waits for it) until released or the request ends. */
  lease(versionId: string): Lease {
    const inner = this.deps.usage.acquire(versionId);
    const lease: Lease = {
      versionId,
      release: () => {
        this.leases.delete(lease);
        inner.release();
      },
    };
    if (this.ended) {
      inner.release();
      throw new Abandoned();
    }
    this.leases.add(lease);
    return lease;
  }

  /** An upstream request made for this one: destroyed if the client goes before it is done. */
  track(call: UpstreamCall): void {
    if (this.ended) {
      call.abort();
      throw new Abandoned();
    }
    // Kept until the request ends (a long GET stream drops its finished ones as it reconnects).
    // No callback from the call back to this request: undici holds a finished call's handler
    // for a while, and everything reachable from it outlives a young-generation GC.
    for (const old of this.calls) if (old.settled) this.calls.delete(old);
    this.calls.add(call);
  }

  /** Measures a wait for the vendor (its response headers), for the traffic history. */
  async timeUpstream<T>(wait: Promise<T>): Promise<T> {
    const t = performance.now();
    let value: T;
    try {
      value = await wait;
    } finally {
      this.upstreamMs += performance.now() - t;
    }
    if (this.ended) throw new Abandoned();
    return value;
  }

  /** Whoever streams the response sets how to end it early (revoked client, shutdown). */
  onCut(cutter: ((why?: CutReason) => void) | undefined): void {
    this.cutter = cutter;
  }

  cut(why?: CutReason): void {
    if (this.cutter) return this.cutter(why);
    for (const call of this.calls) call.abort();
    if (why && !this.res.headersSent) this.refuse(why);
    else this.res.destroy();
  }

  /** Counts the request as failed in the connection's and client's counters (once). */
  failed(): void {
    if (this.failedOnce) return;
    this.failedOnce = true;
    this.deps.counters.error(this.route.slug, this.client);
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): void {
    this.res.writeHead(status, headers);
    this.report(status);
  }

  /** Once the body is read: Keyway's own answer (a refusal, a cut) names these requests' ids. */
  answers(answering: Answering): void {
    this.answering = answering;
  }

  /** The proxy answers itself (a JSON-RPC error), instead of passing the vendor's answer on. */
  refuse(refusal: Refusal): void {
    if (!this.res.headersSent && !this.res.destroyed) {
      this.keywayAnswered = true;
      this.refusedBy = refusal.cause;
      this.failed();
    }
    refuse(this.res, refusal, this.answering);
    this.report(this.res.headersSent ? refusal.status : 0);
  }

  private report(status: number): void {
    if (this.reported) return;
    this.reported = true;
    const error = status >= 500 || this.keywayAnswered;
    try {
      this.deps.backend.onRequestDone({
        slug: this.route.slug,
        client: this.client,
        status,
        error,
        ...(this.refusedBy ? { refused: this.refusedBy } : {}),
        totalMs: performance.now() - this.t0,
        upstreamMs: this.upstreamMs,
        at: this.at,
      });
    } catch {
      // The traffic history is best effort; it never breaks a request.
    }
  }

  /** Gives back everything the request held. Runs once, when the client's response closes. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.report(this.res.headersSent ? this.res.statusCode : 0);
    for (const call of this.calls) call.abort();
    this.calls.clear();
    for (const lease of [...this.leases]) lease.release();
    this.cutter = undefined;
    if (this.session) this.session.inFlight--;
    this.untrack();
  }
}
