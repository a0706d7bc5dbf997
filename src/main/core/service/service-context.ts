import type {
  OpArgs,
  OpName,
  OpOutput,
  ProxyStats,
  TrafficHistoryView,
} from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { RotationContext, RotationHooks } from '../rotation/rotation-context';
import type { OAuthService } from './oauth-service';

export { record } from '../audit/audit-record';

/** Facts only the running shell knows (its URL, whether the proxy is up). */
export interface RuntimeInfo {
  version: string;
  dataDir: string;
  /** `http://127.0.0.1:PORT` once listening. */
  baseUrl: string | null;
  proxyRunning: boolean;
  proxyPaused: boolean;
}

/**
 * Hooks the composition root wires to the proxy; core handlers stay ignorant of HTTP. The
 * rotation's own (drain, versionReady, prepareSwap, versionForgotten) are in RotationHooks.
 */
export interface ServiceHooks extends RotationHooks {
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
}

export interface ServiceContext extends RotationContext {
  auditLog: AuditLog;
  runtime: () => RuntimeInfo;
  hooks: ServiceHooks;
  /** The one OAuth client of this Keyway (sessions, logins, refreshes), built with the context. */
  oauth: OAuthService;
}

export type Handler<N extends OpName> = (args: OpArgs<N>) => Promise<OpOutput<N>>;
export type Handlers = { [N in OpName]: Handler<N> };
