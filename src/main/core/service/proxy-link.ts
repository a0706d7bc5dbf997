import { currentVersion } from '../../../shared/domain';
import type {
  McpProxy,
  ProxyBackend,
  ProxyKey,
  ProxyRequestDone,
  ProxyRoute,
} from '../proxy/proxy-backend';
import { oauthKeyRef } from '../oauth/oauth-secrets';
import { tokenMatchesHash } from '../secret-facts';
import { record, type ProxyPort, type ServiceContext } from './service-context';
import {
  oauthAccountOf,
  oauthCurrentKey,
  oauthInsufficientScope,
  oauthRenewKey,
} from './oauth-proxy-link';
import type { TrafficHistory } from '../traffic/traffic-history';

/**
 * The proxy seam, both ways. `proxyPort`: what the service and the rotation ask of the running
 * proxy. `ServiceProxyBackend`: what the proxy asks of the rest of Keyway, per request (the
 * route, the current key, the client behind a local token) and what it reports back.
 */
export function proxyPort(
  ctx: ServiceContext,
  proxy: McpProxy,
  traffic: TrafficHistory,
): ProxyPort {
  return {
    async prepare(keyRef, versionId, secret) {
      const slugs = ctx.store.current.connections
        .filter((c) => c.key === keyRef)
        .map((c) => c.slug);
      await Promise.all(slugs.map((slug) => proxy.prepareKey(slug, { versionId, secret })));
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

  constructor(
    private readonly ctx: ServiceContext,
    private readonly traffic: TrafficHistory,
  ) {}

  route(slug: string): ProxyRoute | undefined {
    const doc = this.ctx.store.current;
    const connection = doc.connections.find((c) => c.slug === slug);
    if (!connection) return undefined;
    const key = doc.keys.find((k) => k.ref === connection.key);
    const account = key && doc.accounts.find((a) => a.name === key.account);
    if (!account) return undefined;
    return {
      slug,
      upstream: new URL(connection.upstream),
      transport: connection.transport,
      auth: account.auth ?? this.ctx.vendor(account.vendor).defaultAuth,
      credential:
        account.oauth && key.ref === oauthKeyRef(account.name)
          ? { kind: 'oauth', account: account.name }
          : { kind: 'api-key' },
    };
  }

  async currentKey(slug: string): Promise<ProxyKey> {
    // OAuth: an access token at (or past) its expiry is refreshed first (single-flight).
    const oauthAccount = oauthAccountOf(this.ctx, slug);
    if (oauthAccount) await oauthCurrentKey(this.ctx, oauthAccount);
    const doc = this.ctx.store.current;
    const connection = doc.connections.find((c) => c.slug === slug);
    const key = connection && doc.keys.find((k) => k.ref === connection.key);
    const version = key && currentVersion(key);
    if (!version) throw new Error(`connection "${slug}" has no active key version`);
    // Concurrent first requests (every session, right after a swap) share one keychain read.
    const secret = await this.ctx.versions.read(version.id);
    if (secret === undefined)
      throw new Error(`the secret of ${key.ref} is missing from the keychain`);
    return { versionId: version.id, secret };
  }

  authenticate(slug: string, token: string): { client: string } | undefined {
    let match: string | undefined;
    // Check every candidate so timing does not reveal which client (or whether any) matched.
    for (const c of this.ctx.store.current.clients) {
      const ok = tokenMatchesHash(token, c.tokenHash);
      if (ok && !c.revokedAt && c.connection === slug) match = c.name;
    }
    return match === undefined ? undefined : { client: match };
  }

  /** API keys are replaced only by a rotation; an OAuth account refreshes its access token. */
  renewKey(slug: string, versionId: string): Promise<boolean> {
    const account = oauthAccountOf(this.ctx, slug);
    return account ? oauthRenewKey(this.ctx, account, versionId) : Promise.resolve(false);
  }

  /** Into the 24 h traffic history the overview draws (memory only, bounded). */
  onRequestDone(event: ProxyRequestDone): void {
    this.traffic.record(event);
  }

  /** `challenge`: the vendor's WWW-Authenticate, when the proxy passes it (403 step-up). */
  onKeyRefused(slug: string, versionId: string, status: number, challenge?: string): void {
    const oauthAccount = oauthAccountOf(this.ctx, slug);
    if (oauthAccount && status === 403 && challenge) {
      void oauthInsufficientScope(this.ctx, oauthAccount, challenge).catch((err: unknown) =>
        this.ctx.log.warn(`could not ask for a step-up login of account "${oauthAccount}"`, err),
      );
      return;
    }
    if (this.refusedVersions.has(versionId)) return;
    this.refusedVersions.add(versionId);
    const connection = this.ctx.store.current.connections.find((c) => c.slug === slug);
    if (!connection) return;
    const ref = connection.key;
    void this.ctx.store
      .update((doc) => {
        const key = doc.keys.find((k) => k.ref === ref);
        if (key && currentVersion(key)?.id === versionId)
          key.refusedAt = this.ctx.now().toISOString();
      })
      .then(async () => {
        this.ctx.events.emit('key.refused', { key: ref, versionId, status });
        this.ctx.events.emit('state.changed', { what: 'keys' });
        await record(this.ctx, {
          event: 'key.refused',
          key: ref,
          client: null,
          connection: slug,
          detail: { status },
        });
      })
      .catch((err: unknown) =>
        this.ctx.log.warn(`could not note that the vendor refused the key of ${ref}`, err),
      );
  }

  onClientSession(event: {
    type: 'connected' | 'disconnected';
    slug: string;
    client: string;
    sessionId: string;
  }): void {
    const key = this.ctx.store.current.connections.find((c) => c.slug === event.slug)?.key ?? null;
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
