import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CounterBook, KeyUsage } from './key-usage';
import type { ProxyBackend, ProxyRoute } from './proxy-backend';
import type { CutReason, Cuttable, ProxySession, SessionTable } from './proxy-session';
import type { UpstreamAgents } from './upstream-http';

/** Everything one proxy instance shares across requests. */
export interface ProxyContext {
  backend: ProxyBackend;
  agents: UpstreamAgents;
  usage: KeyUsage;
  counters: CounterBook;
  sessions: SessionTable;
  active: ActiveRegistry;
  /** Vendor MCP URLs seen to bind sessions to a key (see session-prepare.ts). */
  boundUpstreams: Set<string>;
  maxBodyBytes: number;
  maxQueuePerSession: number;
  upstreamTimeoutMs: number;
}

/** One client HTTP request being served. */
export interface ClientExchange {
  req: IncomingMessage;
  res: ServerResponse;
  route: ProxyRoute;
  client: string;
  session: ProxySession | undefined;
  /** Counts the request as failed (once). */
  failed(): void;
}

/** What each client has running, so revoking its token can cut it at once. */
export class ActiveRegistry {
  private readonly byClient = new Map<string, Set<Cuttable>>();

  add(client: string, item: Cuttable): () => void {
    let set = this.byClient.get(client);
    if (!set) {
      set = new Set();
      this.byClient.set(client, set);
    }
    set.add(item);
    return () => {
      set.delete(item);
      if (set.size === 0 && this.byClient.get(client) === set) this.byClient.delete(client);
    };
  }

  cutClient(client: string, why: CutReason): void {
    const set = this.byClient.get(client);
    this.byClient.delete(client);
    set?.forEach((item) => item.cut(why));
  }

  cutAll(why: CutReason): void {
    for (const client of [...this.byClient.keys()]) this.cutClient(client, why);
  }
}
