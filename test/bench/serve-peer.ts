// `keyway serve` as shipped, for the benches: the built CLI (`npm run build`) with its own data
// directory and the real keychain (the benches run under scripts/with-keyring.sh), set up through
// the CLI as a user would: a custom-vendor account at the bench vendor, its key, a connection and
// a client whose local token the bench then presents. Every request takes the product's real
// path: routing, token check, key read, traffic history.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const KEYWAY_BIN = resolve(import.meta.dirname, '../../bin/keyway.js');

export interface ServeInstance {
  /** The connection's local URL, /mcp/bench. */
  url: string;
  /** The client's local token. */
  token: string;
  pid: number;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `keyway serve` and resolves at its ready line, with the time it took. */
export async function spawnServe(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; base: string; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [KEYWAY_BIN, 'serve', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '', ...env } },
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const ready = JSON.parse(line) as { url: string };
    return { child, base: ready.url, readyMs: performance.now() - t0 };
  }
  throw new Error('keyway serve exited before it was ready');
}

function cli(dataDir: string, args: string[], input = ''): string {
  const r = spawnSync(process.execPath, [KEYWAY_BIN, ...args, '--data-dir', dataDir], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.status !== 0) throw new Error(`keyway ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A running `keyway serve` routing /mcp/bench to `vendorMcpUrl` with `vendorKey`. */
export async function startServeInstance(
  vendorMcpUrl: string,
  vendorKey: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServeInstance> {
  const dataDir = await mkdtemp(join(tmpdir(), 'keyway-bench-serve-'));
  const { child } = await spawnServe(dataDir, env);
  cli(dataDir, ['account', 'add', 'bench', '--vendor', 'custom', '--mcp-url', vendorMcpUrl]);
  cli(dataDir, ['key', 'add', 'bench/key', '--secret-stdin'], vendorKey);
  const url = cli(dataDir, ['connection', 'add', 'bench', '--key', 'bench/key']).trim();
  const client = JSON.parse(
    cli(dataDir, ['client', 'add', 'agent', '--connection', 'bench', '--json']),
  ) as {
    token: string;
  };
  return {
    url,
    token: client.token,
    pid: child.pid ?? 0,
    dataDir,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs one `keyway …` command to completion, for start-up timing. */
export function runCliOnce(args: string[], dataDir: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [KEYWAY_BIN, ...args, '--data-dir', dataDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.once('error', fail);
    child.once('exit', (code) => done(code ?? -1));
  });
}
