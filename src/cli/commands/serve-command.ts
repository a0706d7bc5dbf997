import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startKeywayOnDemand } from '../../main/core/keyway-runtime';
import { DEFAULT_ROTATION, type RotationSetup } from '../../main/core/rotation/rotation-setup';
import type { Command } from '../command';
import { int } from '../cli-input';
import { builtRendererDir } from '../install-root';
import { UsageError } from '../cli-errors';
import { KEYWAY_VERSION } from '../../shared/version';

/** The web UI `npm run build` put in out/renderer (a missing one is answered with a hint). */
function rendererDir(): string {
  return (
    process.env.KEYWAY_RENDERER_DIR ?? builtRendererDir() ?? join(process.cwd(), 'out', 'renderer')
  );
}

/**
 * Loaded only with --sandbox: the sandbox vendors (MCP SDK servers, oidc-provider) are most of
 * the bundle and would otherwise sit in every idle instance's memory.
 */
async function startSandboxKit() {
  const [{ startSandbox }, demo] = await Promise.all([
    import('../../sandbox'),
    import('../sandbox-demo'),
  ]);
  return { ...demo, sandbox: await startSandbox() };
}

/** Rotation timings; the environment may shorten them (tests, impatient operators). */
function rotationSetupFromEnv(): RotationSetup {
  const num = (name: string, fallback: number) => {
    const v = process.env[name];
    return v && /^\d+$/.test(v) ? Number(v) : fallback;
  };
  return {
    drainMs: num('KEYWAY_DRAIN_MS', DEFAULT_ROTATION.drainMs),
    retryBaseMs: num('KEYWAY_REVOKE_RETRY_MS', DEFAULT_ROTATION.retryBaseMs),
    schedulerTickMs: num('KEYWAY_SCHEDULER_MS', DEFAULT_ROTATION.schedulerTickMs),
  };
}

export const serve: Command = {
  name: 'serve',
  args: '',
  summary: 'Headless Keyway: proxy, control API and web UI on one 127.0.0.1 port',
  details:
    'Prints one JSON line {"ready":true,"url":…,"ui":…} when ready; open the "ui" URL in a browser.\n' +
    'Other keyway commands find this instance through the data directory. SIGINT/SIGTERM stop it cleanly.',
  positionals: 0,
  options: {
    port: {
      type: 'string',
      help: 'port on 127.0.0.1 (default: the Proxy port setting, else 8931; 0 = any free port)',
      arg: 'N',
    },
    sandbox: {
      type: 'boolean',
      help: 'also start the local sandbox vendors with a ready demo setup',
    },
  },
  async run(ctx) {
    // stdout carries exactly one JSON line (the ready line): anything a library prints with
    // console.log/info (oidc-provider's NOTICE lines) goes to stderr instead.
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
    // Absent: the saved setting (Settings → Proxy port), else 8931 — chosen by the runtime.
    const port = int(ctx.values, 'port');
    if (port !== undefined && port > 65535) throw new UsageError('--port must be 0–65535');
    if (port !== undefined && port > 0 && port < 1024)
      throw new UsageError(
        `--port ${port} is below 1024, which needs administrator rights; use 1024–65535 (or 0 for any free port)`,
      );
    // The sandbox starts first, so the instance knows it from the start: its vendors' defaults
    // and dashboard pages are the sandbox's (core/vendors/vendor-places.ts).
    const kit = ctx.values.sandbox ? await startSandboxKit() : undefined;
    const sandbox = kit?.sandbox;
    // The service is built at the first request that needs it (keyway-runtime.ts): an instance
    // nobody has used yet stays small.
    const runtime = await startKeywayOnDemand({
      dataDir: ctx.dataDir,
      port,
      owner: 'keyway serve',
      version: KEYWAY_VERSION,
      rendererDir: rendererDir(),
      log: (line) => ctx.err(`keyway: ${line}\n`),
      rotation: rotationSetupFromEnv(),
      ...(kit ? { vendorPlaces: kit.sandboxPlaces(kit.sandbox) } : {}),
    }).catch(async (err: unknown) => {
      await sandbox?.close();
      throw err;
    });
    const stop = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      // A parent that holds our stdin open (npm run demo) can die without a signal reaching us
      // (SIGKILL, a crash): its end of the pipe closes, and serve stops with it.
      if (process.env.KEYWAY_STOP_WITH_STDIN === '1') {
        process.stdin.once('end', resolve);
        process.stdin.once('close', resolve);
        process.stdin.resume();
      }
    });
    const ready: Record<string, unknown> = { ready: true, url: runtime.url, ui: runtime.uiUrl };
    if (kit) {
      const { sandbox, repointSandboxDemo, sandboxUrls, seedSandboxDemo } = kit;
      try {
        const { api } = (await runtime.core()).service;
        const demo = await seedSandboxDemo(api, sandbox);
        const repointed = demo ? null : await repointSandboxDemo(api, sandbox);
        if (repointed)
          ctx.err(
            `keyway: the "demo" account now points at this run's sandbox (new key ${repointed}); its clients keep their tokens\n`,
          );
        else if (!demo)
          ctx.err(
            'keyway: a "demo" account exists already; the sandbox demo was not seeded again\n',
          );
        ready.sandbox = { vendors: sandboxUrls(sandbox), demo: demo ?? null };
      } catch (err) {
        await sandbox.close();
        await runtime.close();
        throw err;
      }
    }
    ctx.out(JSON.stringify(ready) + '\n');
    await stop;
    await runtime.close();
    await sandbox?.close();
    // `npm run demo` promises to forget everything: its throwaway data directory goes with serve,
    // also when the demo itself was killed and cannot clean up.
    if (process.env.KEYWAY_FORGET_DATA_DIR === '1')
      await rm(ctx.dataDir, { recursive: true, force: true });
    return 0;
  },
};
