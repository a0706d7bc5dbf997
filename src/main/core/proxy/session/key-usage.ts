import type { ProxyCounters } from '../proxy-backend';

export interface Lease {
  readonly versionId: string;
  release(): void;
}

/** Counts the upstream requests in flight per key version, so a rotation can drain the old one. */
export class KeyUsage {
  private readonly inFlight = new Map<string, number>();
  private readonly idleWaiters = new Map<string, Set<() => void>>();

  acquire(versionId: string): Lease {
    this.inFlight.set(versionId, (this.inFlight.get(versionId) ?? 0) + 1);
    let released = false;
    return {
      versionId,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(versionId) ?? 1) - 1;
        if (left > 0) {
          this.inFlight.set(versionId, left);
          return;
        }
        this.inFlight.delete(versionId);
        const waiters = this.idleWaiters.get(versionId);
        this.idleWaiters.delete(versionId);
        waiters?.forEach((wake) => wake());
      },
    };
  }

  count(versionId: string): number {
    return this.inFlight.get(versionId) ?? 0;
  }

  waitIdle(versionId: string, timeoutMs: number): Promise<{ drained: boolean; inFlight: number }> {
    if (this.count(versionId) === 0) return Promise.resolve({ drained: true, inFlight: 0 });
    return new Promise((resolve) => {
      const waiters = this.idleWaiters.get(versionId) ?? new Set<() => void>();
      this.idleWaiters.set(versionId, waiters);
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        const inFlight = this.count(versionId);
        resolve({ drained: inFlight === 0, inFlight });
      };
      const timer = setTimeout(wake, timeoutMs);
      waiters.add(wake);
    });
  }
}

interface Tally {
  requests: number;
  errors: number;
  /** Epoch ms; formatted only when read, not on the hot path. */
  lastUsed: number;
  keyVersion: string | null;
}

/** Requests, errors and last use per connection and per client, for the UI and `connection ls`. */
export class CounterBook {
  private readonly connections = new Map<string, Tally>();
  private readonly clients = new Map<string, Tally>();

  private entry(map: Map<string, Tally>, name: string): Tally {
    let tally = map.get(name);
    if (!tally) {
      tally = { requests: 0, errors: 0, lastUsed: 0, keyVersion: null };
      map.set(name, tally);
    }
    return tally;
  }

  request(slug: string, client: string | undefined): void {
    const now = Date.now();
    const connection = this.entry(this.connections, slug);
    connection.requests++;
    connection.lastUsed = now;
    if (client === undefined) return;
    const byClient = this.entry(this.clients, client);
    byClient.requests++;
    byClient.lastUsed = now;
  }

  error(slug: string, client: string | undefined): void {
    this.entry(this.connections, slug).errors++;
    if (client !== undefined) this.entry(this.clients, client).errors++;
  }

  keyVersion(slug: string, client: string | undefined, versionId: string): void {
    this.entry(this.connections, slug).keyVersion = versionId;
    if (client !== undefined) this.entry(this.clients, client).keyVersion = versionId;
  }

  snapshot(): {
    connections: Record<string, ProxyCounters>;
    clients: Record<string, ProxyCounters>;
  } {
    const copy = (map: Map<string, Tally>): Record<string, ProxyCounters> =>
      Object.fromEntries(
        [...map].map(([name, t]) => [
          name,
          {
            requests: t.requests,
            errors: t.errors,
            lastUsed: t.lastUsed ? new Date(t.lastUsed).toISOString() : null,
            keyVersion: t.keyVersion,
          },
        ]),
      );
    return { connections: copy(this.connections), clients: copy(this.clients) };
  }
}
