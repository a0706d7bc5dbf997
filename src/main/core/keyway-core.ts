import type { AuditLog } from './audit/audit-log';
import type { EventBus } from './events';
import { handleControlApi } from './http/control-api';
import type { ServiceRoutes } from './http/keyway-server';
import type { SecretStore } from './keychain/secret-store';
import { VersionSecrets } from './keychain/version-secrets';
import type { Logger } from './log/logger';
import { createMcpProxy } from './proxy';
import { DEFAULT_ROTATION, type RotationSetup } from './rotation/rotation-setup';
import { KeyService } from './service/key-service';
import { oauthCallbackRoute } from './service/oauth-accounts/oauth-login';
import { OAuthService } from './service/oauth-accounts/oauth-service';
import { proxyPort, ServiceProxyBackend } from './service/proxy-seam/proxy-link';
import { RunRegistry } from './service/runs/run-registry';
import {
  HEADLESS,
  type RuntimeInfo,
  type ServiceContext,
  type ShellPort,
} from './service/service-context';
import type { MetadataStore } from './store/metadata-store';
import { TrafficHistory } from './traffic/traffic-history';
import { throttledSignal } from './traffic/traffic-signal';
import { placedVendors, vendorAdapter, type VendorPlaces } from './vendors';

/** What the light half of the runtime (keyway-runtime.ts) has made before the core is built. */
export interface CoreBase {
  store: MetadataStore;
  secrets: SecretStore;
  auditLog: AuditLog;
  events: EventBus;
  log: Logger;
  runtime: RuntimeInfo;
  secretScope: string;
  controlToken: string;
  /** The Host values the server answers to, known once it listens. */
  allowedHosts: () => string[];
  shell?: ShellPort;
  rotation?: RotationSetup;
  /** Vendors this instance runs itself (`serve --sandbox`): their defaults and pages are these. */
  vendorPlaces?: VendorPlaces;
  now: () => Date;
}

/** The service and everything it drives, built once; `close` stops it in reverse order. */
export interface KeywayCore {
  service: KeyService;
  routes: ServiceRoutes;
  /** Stops the background work (rotation scheduler, OAuth renewals): first, at shutdown. */
  stopBackground(): void;
  /** Answers the requests still in flight at shutdown (the proxy's shutdown answer). */
  answerInFlight(): Promise<void>;
  /** Closes the proxy, after the server stopped taking requests. */
  close(): Promise<void>;
}

/**
 * The service half of the composition root (docs/architecture.md, "The composition root"): the
 * context, the OAuth client, the proxy, the service and its background work (rotation recovery and
 * scheduler, OAuth renewals). `keyway serve` loads this module at its first request, or at start
 * when the store has background work (keyway-runtime.ts); the desktop builds it at once.
 */
export function buildKeywayCore(base: CoreBase, log: (line: string) => void): KeywayCore {
  const { events } = base;
  const core: Omit<ServiceContext, 'oauth'> = {
    store: base.store,
    secrets: base.secrets,
    versions: new VersionSecrets(base.secrets),
    auditLog: base.auditLog,
    events,
    log: base.log,
    runs: new RunRegistry(),
    runtime: () => base.runtime,
    vendor: base.vendorPlaces ? placedVendors(vendorAdapter, base.vendorPlaces) : vendorAdapter,
    secretScope: base.secretScope,
    now: base.now,
  };
  // The OAuth client is part of the context, made once here (handlers, proxy and the
  // callback route all use this one).
  const ctx: ServiceContext = Object.assign(core, { oauth: new OAuthService(core) });
  // The overview follows the traffic live; one event a second at most, however busy the proxy.
  const trafficSignal = throttledSignal(() => events.emit('traffic.changed', { at: Date.now() }));
  const traffic = new TrafficHistory(Date.now, () => trafficSignal.notify());
  const backend = new ServiceProxyBackend(ctx, traffic);
  const proxy = createMcpProxy(backend, { allowedHosts: base.allowedHosts, log: ctx.log });
  const service = new KeyService(
    ctx,
    { proxy: proxyPort(ctx, proxy, backend, traffic), shell: base.shell ?? HEADLESS },
    base.rotation ?? DEFAULT_ROTATION,
  );
  const deps = { service, events, controlToken: base.controlToken, log };
  // Recovery of journaled rotations and the due-key scheduler run once we can serve.
  service.rotation.scheduler.start();
  ctx.oauth.start();
  return {
    service,
    routes: {
      controlApi: (req, res, path) => handleControlApi(req, res, path, deps),
      oauthCallback: (req, res) => oauthCallbackRoute(ctx.oauth, req, res),
      mcp: proxy,
    },
    stopBackground: () => {
      ctx.oauth.stop();
      service.rotation.scheduler.stop();
    },
    answerInFlight: () => proxy.close(),
    close: async () => {
      await proxy.close();
      trafficSignal.stop();
    },
  };
}
