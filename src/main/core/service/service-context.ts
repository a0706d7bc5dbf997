import type { AuditEntry, VendorId } from '../../../shared/domain';
import type { OpArgs, OpName, OpOutput } from '../../../shared/contract';
import type { EventBus } from '../events';
import type { AuditLog } from '../audit/audit-log';
import type { SecretStore } from '../keychain/secret-store';
import type { MetadataStore } from '../store/metadata-store';
import type { VendorFacts } from './vendor-seam';

/** Facts only the running shell knows (its URL, whether the proxy is up). */
export interface RuntimeInfo {
  version: string;
  dataDir: string;
  /** `http://127.0.0.1:PORT` once listening. */
  baseUrl: string | null;
  proxyRunning: boolean;
}

/** Hooks the composition root wires to the proxy; core handlers stay ignorant of HTTP. */
export interface ServiceHooks {
  clientRevoked(name: string): void;
}

export interface ServiceContext {
  store: MetadataStore;
  secrets: SecretStore;
  auditLog: AuditLog;
  events: EventBus;
  runtime: () => RuntimeInfo;
  hooks: ServiceHooks;
  vendor: (id: VendorId) => VendorFacts;
  now: () => Date;
}

export type Handler<N extends OpName> = (args: OpArgs<N>) => Promise<OpOutput<N>>;
export type Handlers = { [N in OpName]: Handler<N> };

/** Appends to the audit log and tells subscribers, in that order. */
export async function record(ctx: ServiceContext, entry: Omit<AuditEntry, 'at'>): Promise<void> {
  const full: AuditEntry = { at: ctx.now().toISOString(), ...entry };
  await ctx.auditLog.append(full);
  ctx.events.emit('audit.appended', full);
}
