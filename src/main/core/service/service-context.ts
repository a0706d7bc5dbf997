import type {
  OpArgs,
  OpName,
  OpOutput,
  ProxyStats,
  TrafficHistoryView,
} from '../../../shared/contract';
import type { AuditLog } from '../audit/audit-log';
import type { RotationContext, RotationProxyPort } from '../rotation/rotation-context';
import type { RunRegistry } from './runs/run-registry';
import type { OAuthService } from './oauth-accounts/oauth-service';

export { announce, commit, record } from '../audit/audit-record';

/** Facts only the running shell knows (its URL, whether the proxy is up). */
export interface RuntimeInfo {
  version: string;
  dataDir: string;
  /** `http://127.0.0.1:PORT` once listening. */
  baseUrl: string | null;
  proxyRunning: boolean;
}

/**
 * What the service asks of the proxy; the composition root builds it from the proxy and the
 * traffic history (`proxyPort` in proxy-seam/proxy-link.ts) and hands it to the service's
 * constructor.
 */
export interface ProxyPort extends RotationProxyPort {
  /** Ends every session and stream the client holds, at once (the client was revoked). */
  endClient(name: string): void;
  stats(): ProxyStats;
  /** The last 24 h of proxy traffic. */
  history(bucketMinutes: number): TrafficHistoryView;
  /** Paused: no forwarding at all; open sessions end now, as if their clients left. */
  setPaused(paused: boolean): void;
  paused(): boolean;
}

/** What only the desktop shell can do; null in `keyway serve`. */
export interface ShellPort {
  /** Writes the clipboard from main and clears it after `clearAfterMs`. */
  copyToClipboard: ((text: string, clearAfterMs: number) => void) | null;
  /** Launch at login is an OS setting only the desktop shell can change. */
  setLaunchAtLogin: ((enabled: boolean) => void) | null;
}

export const HEADLESS: ShellPort = { copyToClipboard: null, setLaunchAtLogin: null };

/** What every handler and stateful service shares; built once, by the composition root. */
export interface ServiceContext extends RotationContext {
  auditLog: AuditLog;
  runtime: () => RuntimeInfo;
  /** The `keyway run` programs of this instance and the key versions they hold. */
  runs: RunRegistry;
  /** The one OAuth client of this Keyway (sessions, logins, refreshes), built with the context. */
  oauth: OAuthService;
}

export type Handler<N extends OpName> = (args: OpArgs<N>) => Promise<OpOutput<N>>;
export type Handlers = { [N in OpName]: Handler<N> };
