import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeywayError } from '../../shared/errors';
import { AuditLog } from './audit/audit-log';
import { removeDiscovery, writeDiscovery } from './discovery';
import { EventBus } from './events';
import { KeywayServer } from './http/keyway-server';
import { OsKeychain } from './keychain/os-keychain';
import { secretNames, type SecretStore } from './keychain/secret-store';
import { VersionSecrets } from './keychain/version-secrets';
import {
  createLogger,
  fileSink,
  isLogLevel,
  type Logger,
  type LogLevel,
  type LogSink,
} from './log/logger';
import { redactingSecrets } from './log/redacting-secrets';
import { Redactor } from './log/redactor';
import { newLocalToken } from './secret-facts';
import { dataDirId } from './data-dir';
import { KeyService } from './service/key-service';
import { DEFAULT_ROTATION, type RotationSetup } from './rotation/rotation-service';
import { proxyPort, ServiceProxyBackend } from './service/proxy-seam/proxy-link';
import { RunRegistry } from './service/runs/run-registry';
import { OAuthService } from './service/oauth-accounts/oauth-service';
import { TrafficHistory } from './traffic/traffic-history';
import { throttledSignal } from './traffic/traffic-signal';
import {
  HEADLESS,
  type RuntimeInfo,
  type ServiceContext,
  type ShellPort,
} from './service/service-context';
import { createMcpProxy } from './proxy';
import { DataDirLock } from './store/data-dir-lock';
import { MetadataStore } from './store/metadata-store';
import { placedVendors, vendorAdapter, type VendorPlaces } from './vendors';
import { proxyPort as listenPort } from './proxy-port';

export interface KeywayRuntimeOptions {
  dataDir: string;
  /** Given at start (`--port`, `KEYWAY_PORT`); else the saved setting, else 8931 (proxy-port.ts). */
  port?: number;
  /** Who owns the data directory, shown to a second instance ("keyway serve", "Keyway desktop"). */
  owner: string;
  version: string;
  rendererDir: string;
  secrets?: SecretStore;
  /** Where log lines go (already redacted): `file` is keyway.log in the data dir; stderr when absent. */
  log?: LogSink | 'file';
  /** `KEYWAY_LOG_LEVEL` when absent, else `info`. */
  logLevel?: LogLevel;
  /** What only the desktop shell can do (clipboard, launch at login); headless when absent. */
  shell?: ShellPort;
  rotation?: RotationSetup;
  /** Vendors this instance runs itself (`serve --sandbox`): their defaults and pages are these. */
  vendorPlaces?: VendorPlaces;
}

export interface KeywayRuntime {
  service: KeyService;
  events: EventBus;
  /** The core's logger, for the shell's own best-effort steps. */
  log: Logger;
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
 * The composition root for plain Node (`keyway serve`, tests) and the desktop alike: the one
 * place the object graph is built, top to bottom, each part handed what it needs when it is made
 * (docs/architecture.md, "The composition root"). Order matters: keychain before lock before
 * store, so a failure leaves nothing half-started and the user sees the first thing that is wrong.
 */
export async function startKeyway(opts: KeywayRuntimeOptions): Promise<KeywayRuntime> {
  const redactor = new Redactor();
  const envLevel = process.env.KEYWAY_LOG_LEVEL;
  const level = opts.logLevel ?? (isLogLevel(envLevel) ? envLevel : 'info');
  // The file sink opens lazily, after the data directory is made below.
  const sink =
    opts.log === 'file'
      ? fileSink(join(opts.dataDir, 'keyway.log'))
      : (opts.log ?? ((line: string) => process.stderr.write(`keyway: ${line}\n`)));
  const log = createLogger(sink, level, redactor);
  const secrets = redactingSecrets(opts.secrets ?? new OsKeychain(), redactor);
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
    for (const fn of cleanups.reverse())
      await fn().catch((err: unknown) =>
        log.warn('a part of Keyway did not shut down cleanly', err),
      );
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
    };
    const core: Omit<ServiceContext, 'oauth'> = {
      store,
      secrets,
      versions: new VersionSecrets(secrets),
      auditLog,
      events,
      log,
      runs: new RunRegistry(),
      runtime: () => runtime,
      vendor: opts.vendorPlaces ? placedVendors(vendorAdapter, opts.vendorPlaces) : vendorAdapter,
      secretScope: dataDirId(opts.dataDir),
      now: () => new Date(Date.now() + testClockOffsetMs()),
    };
    // The OAuth client is part of the context, made once here (handlers, proxy and the
    // callback route all use this one).
    const ctx: ServiceContext = Object.assign(core, { oauth: new OAuthService(core) });
    // The overview follows the traffic live; one event a second at most, however busy the proxy.
    const trafficSignal = throttledSignal(() => events.emit('traffic.changed', { at: Date.now() }));
    cleanups.push(async () => trafficSignal.stop());
    const traffic = new TrafficHistory(Date.now, () => trafficSignal.notify());
    // The proxy answers only to the Host values the server learns once it is listening.
    let allowedHosts: string[] = [];
    const backend = new ServiceProxyBackend(ctx, traffic);
    const proxy = createMcpProxy(backend, { allowedHosts: () => allowedHosts, log: ctx.log });
    const service = new KeyService(
      ctx,
      { proxy: proxyPort(ctx, proxy, backend, traffic), shell: opts.shell ?? HEADLESS },
      opts.rotation ?? DEFAULT_ROTATION,
    );
    const server = new KeywayServer({
      service,
      events,
      controlToken,
      log: (line) => log.info(line),
      rendererDir: opts.rendererDir,
      mcp: proxy,
    });
    const url = await server.listen(listenPort(opts.port, store.current.settings.proxyPort));
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
      log,
      url,
      uiUrl: `${url}/#token=${controlToken}`,
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
