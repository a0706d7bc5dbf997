import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KeywayError } from '../../shared/errors';
import { AuditLog } from './audit/audit-log';
import { removeDiscovery, writeDiscovery } from './discovery';
import { EventBus } from './events';
import { KeywayServer } from './http/keyway-server';
import { OsKeychain } from './keychain/os-keychain';
import { secretNames, type SecretStore } from './keychain/secret-store';
import { newLocalToken, sha256Hex } from './secret-facts';
import { KeyService } from './service/key-service';
import type { RuntimeInfo, ServiceHooks } from './service/service-context';
import { DataDirLock } from './store/data-dir-lock';
import { MetadataStore } from './store/metadata-store';
import { vendorAdapter } from './vendors';

export interface KeywayRuntimeOptions {
  dataDir: string;
  port: number;
  /** Who owns the data directory, shown to a second instance ("keyway serve", "Keyway desktop"). */
  owner: string;
  version: string;
  rendererDir: string;
  secrets?: SecretStore;
  log?: (line: string) => void;
}

export interface KeywayRuntime {
  service: KeyService;
  events: EventBus;
  url: string;
  /** The web UI, with the control token in the fragment (never sent to the server in a URL). */
  uiUrl: string;
  close(): Promise<void>;
}

/** A stable, non-reversible id for a data directory, used to name its control token entry. */
export function dataDirId(dataDir: string): string {
  return sha256Hex(resolve(dataDir)).slice(0, 16);
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
    };
    const hooks: ServiceHooks = { clientRevoked: () => undefined };
    const service = new KeyService({
      store,
      secrets,
      auditLog,
      events,
      hooks,
      runtime: () => runtime,
      vendor: vendorAdapter,
      now: () => new Date(),
    });
    const server = new KeywayServer({
      service,
      events,
      controlToken,
      log,
      rendererDir: opts.rendererDir,
    });
    const url = await server.listen(opts.port);
    cleanups.push(() => server.close());
    runtime.baseUrl = url;
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
