import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI, exactly what `npm install` + `npm run build` give a user. */
export const KEYWAY_BIN = resolve(import.meta.dirname, '../../bin/keyway.js');

/** Every directory `tempDataDir` made in this test file; removed after it (remove-temp-dirs.ts). */
const madeDirs = new Set<string>();

export async function tempDataDir(prefix = 'keyway-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  madeDirs.add(dir);
  return dir;
}

/** Removes the file's temporary data directories: after its own hooks have stopped what used them. */
export async function removeTempDataDirs(): Promise<void> {
  const dirs = [...madeDirs];
  madeDirs.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `keyway …` command to completion; `stdin` is piped in (secrets come this way). */
export function runKeyway(
  args: string[],
  opts: { dataDir: string; stdin?: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [KEYWAY_BIN, ...args], {
      env: { ...process.env, KEYWAY_DATA_DIR: opts.dataDir, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  ui: string;
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readyMs: number;
}

/**
 * Starts `keyway serve --port 0 …` and resolves on its ready line (or rejects with its stderr).
 * `port: null` leaves `--port` out (the saved setting, else 8931, applies).
 */
export function startServe(opts: {
  dataDir: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  port?: string | null;
}): Promise<ServeProcess> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      KEYWAY_BIN,
      'serve',
      ...(opts.port === null ? [] : ['--port', opts.port ?? '0']),
      ...(opts.args ?? []),
    ],
    {
      env: { ...process.env, KEYWAY_DATA_DIR: opts.dataDir, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`keyway serve did not get ready in time; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || !line) return;
      clearTimeout(timer);
      const ready = JSON.parse(line) as { ready: boolean; url: string; ui: string };
      resolveStart({
        child,
        url: ready.url,
        ui: ready.ui,
        readyMs: performance.now() - started,
        output: () => ({ stdout, stderr }),
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`keyway serve exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** Every file under a directory, as text (binary-safe enough for a grep). */
export async function readTree(dir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isDirectory()) out.push(...(await readTree(path)));
    else out.push({ path, text: await readFile(path, 'latin1') });
  }
  return out;
}

/** Asserts no file under `dir` and no given output contains any of `secrets`; returns hits. */
export async function findSecrets(
  dir: string,
  outputs: string[],
  secrets: string[],
): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await readTree(dir)) {
    for (const s of secrets) if (file.text.includes(s)) hits.push(`${file.path} contains a secret`);
  }
  outputs.forEach((text, i) => {
    for (const s of secrets) if (text.includes(s)) hits.push(`output #${i} contains a secret`);
  });
  return hits;
}

/** The control token the web UI gets in its URL fragment. */
export function controlToken(ui: string): string {
  return new URL(ui).hash.replace(/^#token=/, '');
}
