import type { AuditEntry, VendorId } from '../../../shared/domain';
import type {
  OpArgs,
  OpName,
  OpOutput,
  ProxyStats,
  TrafficHistoryView,
} from '../../../shared/contract';
import type { EventBus } from '../events';
import type { AuditLog } from '../audit/audit-log';
import type { SecretStore } from '../keychain/secret-store';
import type { MetadataStore } from '../store/metadata-store';
import type { VendorAdapter } from '../vendors/vendor-adapter';

/** Facts only the running shell knows (its URL, whether the proxy is up). */
export interface RuntimeInfo {
  version: string;
  dataDir: string;
  /** `http://127.0.0.1:PORT` once listening. */
  baseUrl: string | null;
  proxyRunning: boolean;
  proxyPaused: boolean;
}

/** Hooks the composition root wires to the proxy; core handlers stay ignorant of HTTP. */
export interface ServiceHooks {
  clientRevoked(name: string): void;
  /** The desktop shell writes the clipboard from main and clears it later; absent headless. */
  copyToClipboard?: (text: string, clearAfterMs: number) => void;
  /** Launch at login is an OS setting only the desktop shell can change. */
  setLaunchAtLogin?: (enabled: boolean) => void;
  /** Stops or restarts forwarding; absent while the proxy is not running. */
  setProxyPaused?: (paused: boolean) => void;
  /** The proxy's counters; absent while the proxy is not running. */
  proxyStats?: () => ProxyStats;
  /** The last 24 h of proxy traffic; absent while the proxy is not running. */
  trafficHistory?: (bucketMinutes: number) => TrafficHistoryView;
  /** Resolves when no proxied request that started with this key version is in flight. */
  drain?: (versionId: string, timeoutMs: number) => Promise<{ drained: boolean; inFlight: number }>;
  /** The key material of a version changed (forgotten, replaced): drop any in-memory copy. */
  versionForgotten?: (versionId: string) => void;
  /** A rotation hands the proxy the new secret before the swap: no keychain read on its hot path. */
  versionReady?: (versionId: string, secret: string) => void;
  /**
   * Just before the swap: lets the proxy open, with the new key, the vendor sessions it will need
   * right after (vendors that bind sessions to a key). Never rejects; the engine bounds the wait.
   */
  prepareSwap?: (keyRef: string, versionId: string, secret: string) => Promise<void>;
}

export interface ServiceContext {
  store: MetadataStore;
  secrets: SecretStore;
  auditLog: AuditLog;
  events: EventBus;
  runtime: () => RuntimeInfo;
  hooks: ServiceHooks;
  vendor: (id: VendorId) => VendorAdapter;
  /** This data directory's id; names its instance-specific keychain entries. */
  secretScope: string;
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
