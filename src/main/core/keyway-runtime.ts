import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeywayError } from '../../shared/errors';
import { AuditLog } from './audit/audit-log';
import { removeDiscovery, writeDiscovery } from './discovery';
import { EventBus } from './events';
import { KeywayServer } from './http/keyway-server';
import { OsKeychain } from './keychain/os-keychain';
import { secretNames, type SecretStore } from './keychain/secret-store';
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
import type { KeywayCore } from './keyway-core';
import type { RotationSetup } from './rotation/rotation-setup';
import type { KeyService } from './service/key-service';
import type { RuntimeInfo, ShellPort } from './service/service-context';
import { DataDirLock } from './store/data-dir-lock';
import type { VendorPlaces } from './vendors/vendor-places';
import { MetadataStore } from './store/metadata-store';
import type { StoreDocument } from './store/store-document';
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

/** A runtime whose service is built on demand (`keyway serve`): see `startKeywayOnDemand`. */
export interface OnDemandRuntime extends Omit<KeywayRuntime, 'service'> {
  /** The service and proxy, built at the first call (or the first request that needs them). */
  core(): Promise<KeywayCore>;
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
 * The service half (keyway-core.ts) is built here at once, after the server listens.
 */
export async function startKeyway(opts: KeywayRuntimeOptions): Promise<KeywayRuntime> {
  const runtime = await startKeywayOnDemand(opts);
  try {
    const { service } = await runtime.core();
    return { ...runtime, service };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}

/**
 * Like `startKeyway`, but the service half (the contract's schemas, the OAuth client, the proxy
 * and its HTTP client, the vendors: most of Keyway's memory) is loaded only when first needed: at
 * the first request for the control API, the proxy or the OAuth callback, or at once when the store
 * has background work (a journaled rotation, a key due some day, an OAuth account to renew). An
 * always-on `keyway serve` nobody has used yet stays small (issue 24) and is ready sooner.
 */
export async function startKeywayOnDemand(opts: KeywayRuntimeOptions): Promise<OnDemandRuntime> {
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
    // The proxy answers only to the Host values the server learns once it is listening.
    let allowedHosts: string[] = [];
    let built: KeywayCore | undefined;
    let building: Promise<KeywayCore> | undefined;
    let closing = false;
    const core = (): Promise<KeywayCore> =>
      (building ??= (async () => {
        if (closing) throw new KeywayError('conflict', 'Keyway is shutting down');
        const { buildKeywayCore } = await import('./keyway-core');
        if (closing) throw new KeywayError('conflict', 'Keyway is shutting down');
        built = buildKeywayCore(
          {
            store,
            secrets,
            auditLog,
            events,
            log,
            runtime,
            secretScope: dataDirId(opts.dataDir),
            controlToken,
            allowedHosts: () => allowedHosts,
            shell: opts.shell,
            rotation: opts.rotation,
            vendorPlaces: opts.vendorPlaces,
            now: () => new Date(Date.now() + testClockOffsetMs()),
          },
          (line) => log.info(line),
        );
        return built;
      })().catch((err: unknown) => {
        building = undefined; // a later request tries again
        throw err;
      }));
    const server = new KeywayServer({
      log: (line) => log.info(line),
      rendererDir: opts.rendererDir,
      routes: async () => (await core()).routes,
    });
    const url = await server.listen(listenPort(opts.port, store.current.settings.proxyPort));
    allowedHosts = server.allowedHosts;
    cleanups.push(
      async () => built?.close(),
      () => server.close(5000, async () => void (await built?.answerInFlight())),
      async () => {
        closing = true;
        built?.stopBackground();
      },
    );
    runtime.baseUrl = url;
    runtime.proxyRunning = true;
    // Recovery of journaled rotations, the due-key scheduler and OAuth renewals run once we can
    // serve, without waiting for a request when the store has such work.
    if (hasBackgroundWork(store.current))
      core().catch((err: unknown) => log.error('Keyway could not start its service', err));
    await writeDiscovery(opts.dataDir, {
      url,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
    cleanups.push(() => removeDiscovery(opts.dataDir));
    return {
      events,
      log,
      url,
      uiUrl: `${url}/#token=${controlToken}`,
      core,
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * Whether the service must run before any request: a journaled key change to resume, a key that
 * will be due (a rotation period or an expiry), or an OAuth account whose tokens are renewed.
 */
function hasBackgroundWork(doc: Readonly<StoreDocument>): boolean {
  return (
    doc.rotations.length > 0 ||
    doc.accounts.some((a) => a.oauth) ||
    doc.keys.some((k) => k.rotateEvery || k.versions.some((v) => v.expires))
  );
}
