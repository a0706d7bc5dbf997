import { mkdir } from 'node:fs/promises';
import { KeywayError } from '../../shared/errors';
import { AuditLog } from './audit/audit-log';
import { removeDiscovery, writeDiscovery } from './discovery';
import { EventBus } from './events';
import { KeywayServer } from './http/keyway-server';
import { OsKeychain } from './keychain/os-keychain';
import { secretNames, type SecretStore } from './keychain/secret-store';
import { newLocalToken } from './secret-facts';
import { dataDirId } from './data-dir';
import { KeyService } from './service/key-service';
import { DEFAULT_ROTATION, type RotationSetup } from './rotation/rotation-service';
import { ServiceProxyBackend } from './service/proxy-link';
import { OAuthService } from './service/oauth-service';
import { TrafficHistory } from './traffic/traffic-history';
import { throttledSignal } from './traffic/traffic-signal';
import type { RuntimeInfo, ServiceContext, ServiceHooks } from './service/service-context';
import { createMcpProxy } from './proxy';
import { DataDirLock } from './store/data-dir-lock';
import { MetadataStore } from './store/metadata-store';
import { vendorAdapter } from './vendors';
import { proxyPort } from './proxy-port';

export interface KeywayRuntimeOptions {
  dataDir: string;
  /** Given at start (`--port`, `KEYWAY_PORT`); else the saved setting, else 8931 (proxy-port.ts). */
  port?: number;
  /** Who owns the data directory, shown to a second instance ("keyway serve", "Keyway desktop"). */
  owner: string;
  version: string;
  rendererDir: string;
  secrets?: SecretStore;
  log?: (line: string) => void;
  /** Shell-provided capabilities (clipboard, launch at login) the core cannot have itself. */
  hooks?: Pick<ServiceHooks, 'copyToClipboard' | 'setLaunchAtLogin'>;
  rotation?: RotationSetup;
}

export interface KeywayRuntime {
  service: KeyService;
  events: EventBus;
  url: string;
  /** The web UI, with the control token in the fragment (never sent to the server in a URL). */
  uiUrl: string;
  close(): Promise<void>;
}

/**
 * TEST HOOK: `KEYWAY_TEST_NOW_OFFSET_MS` moves Keyway's clock (not the OS's) forward, so tests
 * can make a key version "older" than its rotation period without waiting days. 0 when unset.
 */
function testClockOffsetMs(): number {
  const offset = Number(process.env.KEYWAY_TEST_NOW_OFFSET_MS ?? '0');
  return Number.isFinite(offset) ? offset : 0;
}

/**
 * Composition root for plain Node (`keyway serve`, tests) — the Electron main process composes
 * the same pieces. Order matters: keychain before lock before store, so a failure leaves
 * nothing half-started and the user sees the first thing that is wrong.
 */
export async function startKeyway(opts: KeywayRuntimeOptions): Promise<KeywayRuntime> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`keyway: ${line}\n`));
  const secrets = opts.secrets ?? new OsKeychain();
  const keychain = await secrets.status();
  if (!keychain.reachable)
    throw new KeywayError(
      'keychain_unavailable',
      `${keychain.message}. ${keychain.fix ?? ''}`.trim(),
    );

  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const lock = await DataDirLock.acquire(opts.dataDir, opts.owner);
  const cleanups: Array<() => Promise<void>> = [() => lock.release()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    const store = await MetadataStore.open(opts.dataDir);
    const auditLog = new AuditLog(opts.dataDir);
    await auditLog.init();
    const events = new EventBus();
    const controlToken = newLocalToken('kwctl');
    const tokenName = secretNames.controlToken(dataDirId(opts.dataDir));
    await secrets.set(tokenName, controlToken);
    cleanups.push(async () => void (await secrets.delete(tokenName)));

    const runtime: RuntimeInfo = {
      version: opts.version,
      dataDir: opts.dataDir,
      baseUrl: null,
      proxyRunning: false,
      proxyPaused: false,
    };
    const hooks: ServiceHooks = { clientRevoked: () => undefined, ...opts.hooks };
    const core: Omit<ServiceContext, 'oauth'> = {
      store,
      secrets,
      auditLog,
      events,
      hooks,
      runtime: () => runtime,
      vendor: vendorAdapter,
      secretScope: dataDirId(opts.dataDir),
      now: () => new Date(Date.now() + testClockOffsetMs()),
    };
    // The OAuth client is part of the context, made once here (handlers, proxy and the
    // callback route all use this one).
    const ctx: ServiceContext = Object.assign(core, { oauth: new OAuthService(core) });
    const service = new KeyService(ctx, opts.rotation ?? DEFAULT_ROTATION);
    // The overview follows the traffic live; one event a second at most, however busy the proxy.
    const trafficSignal = throttledSignal(() => events.emit('traffic.changed', { at: Date.now() }));
    cleanups.push(async () => trafficSignal.stop());
    const traffic = new TrafficHistory(Date.now, () => trafficSignal.notify());
    hooks.trafficHistory = (bucketMinutes) => traffic.view(bucketMinutes);
    const backend = new ServiceProxyBackend(ctx, traffic);
    // The proxy answers only to the Host values the server learns once it is listening.
    let allowedHosts: string[] = [];
    const proxy = createMcpProxy(backend, {
      allowedHosts: () => allowedHosts,
      // Checked once the client is known, so a paused request is counted like any other.
      paused: () => runtime.proxyPaused,
    });
    hooks.clientRevoked = (name) => proxy.endClient(name);
    hooks.proxyStats = () => proxy.counters();
    hooks.drain = (versionId, timeoutMs) => proxy.drain(versionId, timeoutMs);
    hooks.versionForgotten = (versionId) => backend.forget(versionId);
    hooks.setProxyPaused = (paused) => {
      runtime.proxyPaused = paused;
      // Paused means no forwarding at all: open sessions end now, as if their clients left.
      if (paused) for (const c of store.current.clients) proxy.endClient(c.name);
    };
    hooks.versionReady = (versionId, secret) => backend.prime(versionId, secret);
    hooks.prepareSwap = async (keyRef, versionId, secret) => {
      const slugs = store.current.connections.filter((c) => c.key === keyRef).map((c) => c.slug);
      await Promise.all(
        slugs.map(async (slug) => {
          const origin = backend.originFor(slug);
          if (origin !== undefined) await proxy.prepareKey(slug, { versionId, secret, origin });
        }),
      );
    };
    const server = new KeywayServer({
      service,
      events,
      controlToken,
      log,
      rendererDir: opts.rendererDir,
      mcp: {
        handle: (req, res, slug) => proxy.handle(req, res, slug),
      },
    });
    const url = await server.listen(proxyPort(opts.port, store.current.settings.proxyPort));
    allowedHosts = server.allowedHosts;
    cleanups.push(
      () => proxy.close(),
      () => server.close(5000, () => proxy.close()),
    );
    runtime.baseUrl = url;
    runtime.proxyRunning = true;
    // Recovery of journaled rotations and the due-key scheduler run once we can serve.
    service.rotation.scheduler.start();
    cleanups.push(async () => service.rotation.scheduler.stop());
    ctx.oauth.start();
    cleanups.push(async () => ctx.oauth.stop());
    await writeDiscovery(opts.dataDir, {
      url,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
    cleanups.push(() => removeDiscovery(opts.dataDir));
    return {
      service,
      events,
      url,
      uiUrl: `${url}/#token=${controlToken}`,
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
