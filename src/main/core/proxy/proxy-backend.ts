import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionEvent } from './session/proxy-session';
import type { RefusalCause } from '../../../shared/contract';
import type { Logger } from '../log/logger';

/**
 * The seam between the proxy and the rest of Keyway: KeyService implements `ProxyBackend`, the
 * HTTP server calls `McpProxy.handle` for `/mcp/<slug>`. The proxy never sees the keychain, the
 * store or a token hash; it asks the backend per request.
 */

export interface ProxyRoute {
  slug: string;
  /** The vendor's MCP URL; for a legacy `sse` upstream, the URL of its event stream (GET). */
  upstream: URL;
  transport: 'streamable-http' | 'sse';
  /** How the vendor wants the key: Quave `Authorization: <raw>`, most `Authorization: Bearer <key>`. */
  auth: { header: string; prefix: string };
  /** What the key is, so a refusal's advice is right: rotate an API key, log in again for OAuth. */
  credential: { kind: 'api-key' } | { kind: 'oauth'; account: string };
}

export interface ProxyKey {
  versionId: string;
  secret: string;
  /**
   * The one origin this secret may be sent to: its account's MCP origin, or an upstream the user
   * set explicitly for this key. `withKey` refuses any other (the connection's upstream may have
   * been read before a change, or come from a store written before the rule).
   */
  origin: string;
}

export interface ProxyBackend {
  route(slug: string): ProxyRoute | undefined;
  /** Read on every upstream request, so a swap takes effect on the very next one. */
  currentKey(slug: string): Promise<ProxyKey>;
  /** The backend compares timing-safely; the proxy only extracts the `Authorization: Bearer` token. */
  authenticate(slug: string, token: string): { client: string } | undefined;
  /**
   * The vendor answered 401 to a request that carried `versionId`, still the current key. A
   * backend that can get a newer credential on its own (an OAuth account refreshing its access
   * token) does so and resolves true: the proxy then retries that request once with
   * `currentKey()`. Concurrent calls for one version share one renewal. Resolves false for API
   * keys, which only a rotation replaces; the proxy then reports `onKeyRefused`.
   */
  renewKey(slug: string, versionId: string): Promise<boolean>;
  /**
   * The vendor answered 401 to a request that carried the connection's current key, or 403
   * with a `WWW-Authenticate` challenge (`challenge`: e.g. OAuth `insufficient_scope`, which an
   * OAuth account answers with a step-up login).
   */
  onKeyRefused(slug: string, versionId: string, status: number, challenge?: string): void;
  /**
   * Called once per forwarded request when its response headers went back to the client (or it
   * failed before that), for the traffic history. Must be cheap: it runs on the hot path.
   */
  onRequestDone(event: ProxyRequestDone): void;
  /** A client session began or ended (from the proxy's session table). */
  onClientSession(event: SessionEvent): void;
}

export interface ProxyRequestDone {
  slug: string;
  /** Undefined for a request refused before Keyway knew its client (a bad local token). */
  client: string | undefined;
  /** Keyway refused the request itself (no vendor saw it), and why. */
  refused?: RefusalCause;
  /** The status the client got; 0 when the client went away before any answer. */
  status: number;
  /** True for a 5xx, a vendor that could not be reached, or a JSON-RPC error Keyway made. */
  error: boolean;
  /** Arrival of the request → its response headers written to the client. */
  totalMs: number;
  /** The part of `totalMs` spent waiting for the vendor; `totalMs - upstreamMs` is Keyway's. */
  upstreamMs: number;
  /** Epoch ms of the request's arrival. */
  at: number;
}

export interface ProxyOptions {
  /** `Host` values this proxy answers to, e.g. `127.0.0.1:8931`; an entry without a port allows any port. */
  allowedHosts: () => string[];
  /** Largest request body accepted; larger → 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Requests one session may have in flight at once; more → 429. Default 64. */
  maxQueuePerSession?: number;
  /**
   * Longest wait for the vendor's response headers; bodies and streams never time out. A vendor
   * answering tool calls as plain JSON sends headers only when the tool is done, hence 300 s.
   */
  upstreamTimeoutMs?: number;
  /** Where best-effort steps that fail (a vendor session not ended, say) are told; default none. */
  log?: Logger;
}

export interface ProxyCounters {
  requests: number;
  errors: number;
  lastUsed: string | null;
  /** The key version the latest forwarded request carried. */
  keyVersion: string | null;
}

export interface McpProxy {
  handle(req: IncomingMessage, res: ServerResponse, slug: string): void;
  /** Resolves once no request that started with `versionId` is in flight (or at the timeout). */
  drain(versionId: string, timeoutMs: number): Promise<{ drained: boolean; inFlight: number }>;
  /**
   * A rotation is about to make `key` current: where the vendor binds sessions to a key, opens
   * the new-key vendor sessions now, off the clients' path. Resolves when done; never rejects.
   */
  prepareKey(slug: string, key: ProxyKey): Promise<void>;
  /** Ends every session and stream the client holds, at once. */
  endClient(client: string): void;
  /**
   * Paused: every `/mcp/*` request is answered 503 by the proxy itself (past the loopback
   * guard); pausing ends the open sessions and requests now, as if their clients left.
   */
  setPaused(paused: boolean): void;
  paused(): boolean;
  counters(): {
    connections: Record<string, ProxyCounters>;
    clients: Record<string, ProxyCounters>;
  };
  close(): Promise<void>;
}
