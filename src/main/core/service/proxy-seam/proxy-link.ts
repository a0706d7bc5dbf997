import { currentVersion } from '../../../../shared/domain';
import type {
  McpProxy,
  ProxyBackend,
  ProxyKey,
  ProxyRequestDone,
  ProxyRoute,
} from '../../proxy/proxy-backend';
import { record, type ProxyPort, type ServiceContext } from '../service-context';
import { oauthCurrentKey, oauthInsufficientScope, oauthTokenRefused } from './oauth-proxy-link';
import { ProxyRoutes } from './proxy-routes';
import { lookupConnection, lookupKey } from '../../store/lookups';
import type { TrafficHistory } from '../../traffic/traffic-history';

const REFUSAL_WRITE_ATTEMPTS = 3;

/**
 * The proxy seam, both ways. `proxyPort`: what the service and the rotation ask of the running
 * proxy. `ServiceProxyBackend`: what the proxy asks of the rest of Keyway, per request (the
 * route, the current key, the client behind a local token) and what it reports back.
 */
export function proxyPort(
  ctx: ServiceContext,
  proxy: McpProxy,
  backend: ServiceProxyBackend,
  traffic: TrafficHistory,
): ProxyPort {
  return {
    async prepare(keyRef, versionId, secret) {
      const slugs = ctx.store.current.connections
        .filter((c) => c.key === keyRef)
        .map((c) => c.slug);
      await Promise.all(
        slugs.map(async (slug) => {
          // A key is prepared only for its own account's origin (see connection-origin.ts).
          const origin = backend.originFor(slug);
          if (origin !== undefined) await proxy.prepareKey(slug, { versionId, secret, origin });
        }),
      );
    },
    drain: (versionId, timeoutMs) => proxy.drain(versionId, timeoutMs),
    endClient: (name) => proxy.endClient(name),
    stats: () => proxy.counters(),
    history: (bucketMinutes) => traffic.view(bucketMinutes),
    setPaused: (paused) => proxy.setPaused(paused),
    paused: () => proxy.paused(),
  };
}

/**
 * The service side of the proxy seam. Secrets come from `ctx.versions`, which reads the keychain
 * once per key version and keeps the secret in memory while that version is in use.
 */
export class ServiceProxyBackend implements ProxyBackend {
  private readonly refusedVersions = new Set<string>();
  /** Refusals being recorded now: concurrent 401s of one version write once. */
  private readonly recording = new Set<string>();
  /** Connection → route, key, origin and OAuth account; token hash → client: one lookup per request. */
  private readonly routes: ProxyRoutes;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly traffic?: TrafficHistory,
  ) {
    this.routes = new ProxyRoutes(ctx);
  }

  route(slug: string): ProxyRoute | undefined {
    return this.routes.entry(slug)?.route;
  }

  async currentKey(slug: string): Promise<ProxyKey> {
    // OAuth: an access token at (or past) its expiry is refreshed first (single-flight).
    const oauthAccount = this.routes.entry(slug)?.oauthAccount;
    if (oauthAccount) await oauthCurrentKey(this.ctx.oauth, oauthAccount);
    // Read after any refresh: a write (a refresh, a rotation's swap) is seen at once.
    const key = this.routes.entry(slug)?.key;
    const version = key && currentVersion(key);
    if (!version) throw new Error(`connection "${slug}" has no active key version`);
    const origin = this.originFor(slug);
    if (origin === undefined) throw new Error(`the account of ${key.ref} is gone`);
    // Concurrent first requests (every session, right after a swap) share one keychain read.
    const secret = await this.ctx.versions.read(version.id);
    if (secret === undefined)
      throw new Error(`the secret of ${key.ref} is missing from the keychain`);
    return { versionId: version.id, secret, origin };
  }

  /** The origin the connection's key may go to (see connection-origin.ts). */
  originFor(slug: string): string | undefined {
    return this.routes.entry(slug)?.origin;
  }

  authenticate(slug: string, token: string): { client: string } | undefined {
    const client = this.routes.client(slug, token);
    return client === undefined ? undefined : { client };
  }

  /** API keys are replaced only by a rotation; an OAuth account refreshes its access token. */
  renewKey(slug: string, versionId: string): Promise<boolean> {
    const account = this.routes.entry(slug)?.oauthAccount;
    return account ? this.ctx.oauth.renew(account, versionId) : Promise.resolve(false);
  }

  /** Into the 24 h traffic history the overview draws (memory only, bounded). */
  onRequestDone(event: ProxyRequestDone): void {
    this.traffic?.record(event);
  }

  /** `challenge`: the vendor's WWW-Authenticate, when the proxy passes it (403 step-up). */
  onKeyRefused(slug: string, versionId: string, status: number, challenge?: string): void {
    const oauthAccount = this.routes.entry(slug)?.oauthAccount;
    if (oauthAccount && status === 403 && challenge) {
      void oauthInsufficientScope(this.ctx.oauth, oauthAccount, versionId, challenge).catch(
        (err: unknown) =>
          this.ctx.log.warn(`could not ask for a step-up login of account "${oauthAccount}"`, err),
      );
      return;
    }
    if (this.refusedVersions.has(versionId) || this.recording.has(versionId)) return;
    const connection = lookupConnection(this.ctx.store.current, slug);
    if (!connection) return;
    this.recording.add(versionId);
    void this.recordRefusal(slug, connection.key, versionId, status, oauthAccount).finally(() =>
      this.recording.delete(versionId),
    );
  }

  /**
   * The key is marked refused in the store, then the refusal counts as recorded: a failed
   * write is retried (a few times, spaced out) and logged, never silently dropped.
   */
  private async recordRefusal(
    slug: string,
    ref: string,
    versionId: string,
    status: number,
    oauthAccount: string | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ctx.store.update((doc) => {
          const key = lookupKey(doc, ref);
          if (key && currentVersion(key)?.id === versionId)
            key.refusedAt = this.ctx.now().toISOString();
        });
        break;
      } catch (err) {
        if (attempt >= REFUSAL_WRITE_ATTEMPTS) {
          this.ctx.log.warn(
            `could not record that ${ref} was refused; the next refusal tries again`,
            err,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    this.refusedVersions.add(versionId);
    this.ctx.events.emit('key.refused', { key: ref, versionId, status });
    this.ctx.events.emit('state.changed', { what: 'keys' });
    await record(this.ctx, {
      event: 'key.refused',
      key: ref,
      client: null,
      connection: slug,
      detail: { status },
    }).catch((err: unknown) =>
      this.ctx.log.warn(`could not audit that the vendor refused the key of ${ref}`, err),
    );
    if (oauthAccount && status === 401)
      await oauthTokenRefused(this.ctx.oauth, oauthAccount).catch((err: unknown) =>
        this.ctx.log.warn(`could not mark account "${oauthAccount}" as needing a login`, err),
      );
  }

  onClientSession(event: {
    type: 'connected' | 'disconnected';
    slug: string;
    client: string;
    sessionId: string;
  }): void {
    const key = lookupConnection(this.ctx.store.current, event.slug)?.key ?? null;
    void record(this.ctx, {
      event: `client.${event.type}`,
      key,
      client: event.client,
      connection: event.slug,
    }).catch((err: unknown) =>
      this.ctx.log.warn(`could not audit client ${event.client} ${event.type}`, err),
    );
  }
}
