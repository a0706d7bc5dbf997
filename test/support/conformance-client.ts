// Runs the MCP conformance suite's *client* scenarios with Keyway as the client
// (scripts/conformance-auth-client.js), one scenario per suite run, and sorts the checks. The
// suite is 0.2.0-alpha.12 (npm alias mcp-conformance-next): its auth list holds every 0.1.16 auth
// scenario (then listed per revision, 2025-03-26 to 2025-11-25) plus the 2026-07-28 ones, so
// 0.1.16 is not run for auth as well.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { tempDataDir } from './keyway-process';

const RUNNER = resolve(import.meta.dirname, '../../scripts/conformance-auth-client.js');

export interface ClientScenarioResult {
  scenario: string;
  failures: string[];
  warnings: string[];
  /** Ids of the checks that passed. */
  passed: string[];
  output: string;
}

/** `mcp-conformance-next` (0.2.0-alpha.12, the default: every auth scenario, extensions included) or 0.1.16. */
export type ConformancePackage = '@modelcontextprotocol/conformance' | 'mcp-conformance-next';

function suite(name: ConformancePackage = 'mcp-conformance-next'): {
  node: string;
  cli: string;
} {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`${name}/package.json`);
  // The suite needs Node 22; the project pins it at node_modules/.bin/node.
  const modules = pkg.slice(0, pkg.lastIndexOf('node_modules') + 'node_modules'.length);
  const pinned = join(modules, '.bin', 'node');
  return {
    node: existsSync(pinned) ? pinned : process.execPath,
    cli: join(dirname(pkg), 'dist', 'index.js'),
  };
}

/** The client `auth/…` scenarios not marked extension (nor draft), as `list` prints them. */
export function authScenarios(): string[] {
  const { node, cli } = suite();
  const listed = execFileSync(node, [cli, 'list'], { encoding: 'utf8' });
  const client = listed.split('Client scenarios')[1] ?? '';
  return [...client.matchAll(/^\s+- (auth\/\S+) \[([^\]]+)\]$/gm)]
    .filter((m) => !/draft|extension/.test(m[2] ?? ''))
    .map((m) => m[1]!);
}

export async function runClientScenario(
  scenario: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
  suitePackage?: ConformancePackage,
): Promise<ClientScenarioResult> {
  const { node, cli } = suite(suitePackage);
  const outDir = await tempDataDir('keyway-conformance-client-');
  let output = '';
  try {
    await new Promise<void>((done) => {
      const child = spawn(
        node,
        [
          cli,
          'client',
          '--command',
          `"${process.execPath}" "${RUNNER}"`,
          '--scenario',
          scenario,
          '--timeout',
          String(timeoutMs - 5000),
          '-o',
          outDir,
        ],
        { env: { ...process.env, ...env, NO_COLOR: '1', NODE_OPTIONS: '' }, detached: true },
      );
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, timeoutMs);
      child.on('close', () => {
        clearTimeout(timer);
        done();
      });
    });
    const checks: Array<{
      id: string;
      status: string;
      errorMessage?: string;
      description?: string;
    }> = [];
    for (const dir of await readdir(outDir, { recursive: true })) {
      if (!String(dir).endsWith('checks.json')) continue;
      checks.push(
        ...(JSON.parse(await readFile(join(outDir, String(dir)), 'utf8')) as typeof checks),
      );
    }
    const line = (c: (typeof checks)[number]) =>
      `${c.id}: ${c.errorMessage ?? c.description ?? c.status}`;
    const failures = checks.filter((c) => c.status === 'FAILURE').map(line);
    if (checks.length === 0) failures.push('no checks written (the scenario did not finish)');
    return {
      scenario,
      failures,
      warnings: checks.filter((c) => c.status === 'WARNING').map(line),
      passed: checks.filter((c) => c.status === 'SUCCESS').map((c) => c.id),
      output,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
