import type { McpEra } from './era';
import { declaredVersion, eraOf, META, metaOf } from './era';
import type { RpcId, RpcMessage } from './messages';
import { idKey, isRequest } from './messages';

/**
 * What a client's session must carry over to a new upstream (a vendor session re-opened with a
 * new key, a new legacy link, a new stdio server after a hot swap), written once for the proxy,
 * the legacy adapter, `keyway run` and the era bridge. Each of them only sends what `steps()`
 * says over its own transport.
 *
 * Era-aware (2026-07-28, basic/versioning):
 * - **legacy** (an `initialize` was seen): replay `initialize`, `notifications/initialized`, the
 *   logging level and each `resources/subscribe`, in that order;
 * - **modern**: nothing session-wide exists; every request carries its own `_meta` (version,
 *   client info and capabilities, log level), so it is re-sent as it is. What does live on is the
 *   client's open `subscriptions/listen` requests: `listens` holds them, to be re-opened upstream
 *   under the same JSON-RPC id (which is the subscription id the client knows).
 */
export class SessionReplay {
  /** The client's own `initialize` request (legacy). */
  initialize: RpcMessage | undefined;
  /** The revision in use: the negotiated (legacy) or the declared (modern) one. */
  protocolVersion: string | undefined;
  initialized = false;
  logLevel: string | undefined;
  /** Resource URIs the client subscribed to with `resources/subscribe` (legacy). */
  readonly subscriptions = new Set<string>();
  /** The client's open `subscriptions/listen` requests (modern), by id. */
  readonly listens = new Map<string, RpcMessage>();
  /** The last `_meta` protocol fields a modern client sent (the era bridge reuses them). */
  modernMeta: Record<string, unknown> | undefined;

  /** Legacy once `initialize` was seen, modern once a request declared a modern version. */
  get era(): McpEra | undefined {
    if (this.initialize) return 'legacy';
    return this.protocolVersion ? eraOf(this.protocolVersion) : undefined;
  }

  /** Remembers, from the client's messages, what a new upstream must be told again. */
  note(messages: readonly RpcMessage[] | undefined): void {
    for (const m of messages ?? []) {
      const params = m.params ?? {};
      const declared = isRequest(m) ? declaredVersion(m) : undefined;
      if (declared !== undefined) {
        this.protocolVersion = declared;
        this.modernMeta = protocolMeta(m);
      }
      if (m.method === 'initialize' && isRequest(m)) {
        // A session has one initialize: a repeated one is the vendor's to refuse, not to replay.
        this.initialize ??= m;
        if (typeof params.protocolVersion === 'string')
          this.protocolVersion ??= params.protocolVersion;
      } else if (m.method === 'notifications/initialized') this.initialized = true;
      else if (m.method === 'logging/setLevel' && typeof params.level === 'string') {
        this.logLevel = params.level;
      } else if (m.method === 'resources/subscribe' && typeof params.uri === 'string') {
        this.subscriptions.add(params.uri);
      } else if (m.method === 'resources/unsubscribe' && typeof params.uri === 'string') {
        this.subscriptions.delete(params.uri);
      } else if (m.method === 'subscriptions/listen' && isRequest(m)) {
        this.listens.set(idKey(m.id!), m);
      } else if (m.method === 'notifications/cancelled') {
        const id = params.requestId;
        if (typeof id === 'string' || typeof id === 'number') this.listens.delete(idKey(id));
      }
    }
  }

  /** A listen stream ended (its response came, or its HTTP stream closed): nothing to re-open. */
  endListen(id: RpcId): void {
    this.listens.delete(idKey(id));
  }

  /**
   * What re-opens the session upstream, in order; the caller gives each request its own id (so
   * the answer stays with Keyway) and waits for it before the next. Empty for a modern session:
   * its requests carry their own state.
   */
  steps(): ReplayStep[] {
    const init = this.initialize;
    if (!init) return [];
    const out: ReplayStep[] = [{ method: 'initialize', params: init.params, notification: false }];
    if (this.initialized) out.push({ method: 'notifications/initialized', notification: true });
    if (this.logLevel)
      out.push({
        method: 'logging/setLevel',
        params: { level: this.logLevel },
        notification: false,
      });
    for (const uri of this.subscriptions)
      out.push({ method: 'resources/subscribe', params: { uri }, notification: false });
    return out;
  }

  /** A fingerprint of the session state past `initialize`: equal fingerprints replay the same. */
  fingerprint(): string {
    return JSON.stringify([
      this.initialized,
      this.logLevel ?? null,
      [...this.subscriptions],
      [...this.listens.keys()],
    ]);
  }
}

/** One message to send again on a new upstream. */
export interface ReplayStep {
  method: string;
  params?: Record<string, unknown>;
  /** A notification gets no id and no answer. */
  notification: boolean;
}

function protocolMeta(m: RpcMessage): Record<string, unknown> {
  const meta = metaOf(m) ?? {};
  const out: Record<string, unknown> = {};
  for (const key of [META.protocolVersion, META.clientInfo, META.clientCapabilities, META.logLevel])
    if (meta[key] !== undefined) out[key] = meta[key];
  return out;
}
