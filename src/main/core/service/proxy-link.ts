import { currentVersion } from '../../../shared/domain';
import type { ProxyBackend, ProxyKey, ProxyRequestDone, ProxyRoute } from '../proxy/proxy-backend';
import { secretNames } from '../keychain/secret-store';
import { record, type ServiceContext } from './service-context';
import { oauthCurrentKey, oauthInsufficientScope, oauthTokenRefused } from './oauth-proxy-link';
import { ProxyRoutes } from './proxy-routes';
import type { TrafficHistory } from '../traffic/traffic-history';

const REFUSAL_WRITE_ATTEMPTS = 3;

/**
 * The service side of the proxy seam. Secrets are read from the keychain once per key version
 * and kept in memory while that version is in use — a keychain round trip per request would
 * cost more than the proxy hop itself.
 */
export class ServiceProxyBackend implements ProxyBackend {
  private readonly secrets = new Map<string, string>();
  private readonly reading = new Map<string, Promise<string | undefined>>();
  /** Versions whose refusal is recorded (only once the store write succeeded). */
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
    let secret = this.secrets.get(version.id);
    if (secret === undefined) {
      // Concurrent first requests (every session, right after a swap) share one keychain read.
      let reading = this.reading.get(version.id);
      if (!reading) {
        reading = this.ctx.secrets
          .get(secretNames.keyVersion(version.id))
          .finally(() => this.reading.delete(version.id));
        this.reading.set(version.id, reading);
      }
      secret = await reading;
      if (secret === undefined)
        throw new Error(`the secret of ${key.ref} is missing from the keychain`);
      this.secrets.set(version.id, secret);
    }
    return { versionId: version.id, secret, origin };
  }

  /** The origin the connection's key may go to (see connection-origin.ts). */
  originFor(slug: string): string | undefined {
    return this.routes.entry(slug)?.origin;
  }

  /** Holds a version's secret ahead of its first request (rotation, just before the swap). */
  prime(versionId: string, secret: string): void {
    this.secrets.set(versionId, secret);
  }

  forget(versionId: string): void {
    this.secrets.delete(versionId);
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
        () => undefined,
      );
      return;
    }
    if (this.refusedVersions.has(versionId) || this.recording.has(versionId)) return;
    const connection = this.ctx.store.current.connections.find((c) => c.slug === slug);
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
          const key = doc.keys.find((k) => k.ref === ref);
          if (key && currentVersion(key)?.id === versionId)
            key.refusedAt = this.ctx.now().toISOString();
        });
        break;
      } catch (err) {
        if (attempt >= REFUSAL_WRITE_ATTEMPTS) {
          process.stderr.write(
            `keyway: could not record that ${ref} was refused (${(err as Error).message}); the next refusal tries again\n`,
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
    }).catch(() => undefined);
    if (oauthAccount && status === 401)
      await oauthTokenRefused(this.ctx.oauth, oauthAccount).catch(() => undefined);
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
    }).catch(() => undefined);
  }
}
