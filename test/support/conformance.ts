// Runs the @modelcontextprotocol/conformance *server* suite against a URL, and a loopback hop
// that adds headers (the suite's client sends no credentials). Shared by the direct run against
// the sandbox vendors and the run through the Keyway proxy, so both are judged the same way.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tempDataDir } from './keyway-process';

export interface ServerConformanceOptions {
  /** "active" (the CLI's default: excludes pending scenarios), "all" or "pending". */
  suite?: 'active' | 'all' | 'pending';
  /** Run only this scenario (overrides `suite`). */
  scenario?: string;
  /** Hard limit for the whole run; the suite is killed when it is reached. Default 90 s. */
  timeoutMs?: number;
  /** The suite's npm package: 0.1.16 (the default) or `mcp-conformance-next` (0.2.0-alpha.12). */
  suitePackage?: '@modelcontextprotocol/conformance' | 'mcp-conformance-next';
  /** Only the scenarios of this spec revision (`--spec-version`, 0.2 only), e.g. 2025-11-25. */
  specVersion?: string;
}

export interface ScenarioProblem {
  scenario: string;
  detail: string;
}

export interface ServerConformanceResult {
  passed: string[];
  failed: ScenarioProblem[];
  /** Scenarios that passed with SHOULD-level warnings (not failures). */
  warnings: ScenarioProblem[];
  /** Everything the suite printed (stdout, then stderr). */
  raw: string;
}

interface Check {
  id: string;
  description?: string;
  status: string;
  errorMessage?: string;
}

const TIMESTAMP_SUFFIX = /-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

function suiteLocation(suitePackage: string): { node: string; cli: string } {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`${suitePackage}/package.json`);
  const cli = join(dirname(pkg), 'dist', 'index.js');
  // The suite needs Node 22 (fs.globSync); the project pins it at node_modules/.bin/node.
  const modules = pkg.slice(0, pkg.lastIndexOf('node_modules') + 'node_modules'.length);
  const pinned = join(modules, '.bin', 'node');
  return { node: existsSync(pinned) ? pinned : process.execPath, cli };
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost' };
  // Loopback only: no proxy may see the traffic, and the test runner's loader flags stay out.
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_OPTIONS']) {
    delete env[name];
  }
  return env;
}

async function readChecks(outDir: string): Promise<Map<string, Check[]>> {
  const byScenario = new Map<string, Check[]>();
  for (const entry of await readdir(outDir)) {
    if (!entry.startsWith('server-')) continue;
    const scenario = entry.slice('server-'.length).replace(TIMESTAMP_SUFFIX, '');
    try {
      const text = await readFile(join(outDir, entry, 'checks.json'), 'utf8');
      byScenario.set(scenario, JSON.parse(text) as Check[]);
    } catch {
      // A scenario that crashed before writing its checks is judged from the summary instead.
    }
  }
  return byScenario;
}

function describe(checks: Check[], status: string): string {
  return checks
    .filter((c) => c.status === status)
    .map((c) => `${c.id}: ${c.errorMessage ?? c.description ?? status}`)
    .join('; ');
}

/** Spawns the conformance server suite against `url` (bounded in time) and sorts its results. */
export async function runServerConformance(
  url: string,
  opts: ServerConformanceOptions = {},
): Promise<ServerConformanceResult> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const outDir = await tempDataDir('keyway-conformance-');
  const { node, cli } = suiteLocation(opts.suitePackage ?? '@modelcontextprotocol/conformance');
  const selection = opts.scenario
    ? ['--scenario', opts.scenario]
    : ['--suite', opts.suite ?? 'active'];
  if (opts.specVersion) selection.push('--spec-version', opts.specVersion);
  const args = [cli, 'server', '--url', url, ...selection, '-o', outDir];
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(node, args, { cwd: outDir, env: childEnv(), detached: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      // The suite runs in its own process group: kill it whole, whatever it spawned.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // It exited on its own just now.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      stderr += `\ncould not start the conformance suite: ${error.message}`;
      clearTimeout(timer);
      resolve(null);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

  try {
    const checks = await readChecks(outDir);
    const attempted = [...stdout.matchAll(/Running client scenario '([^']+)' against server/g)].map(
      (m) => m[1] ?? '',
    );
    const summary = new Map(
      [...stdout.matchAll(/^([✓✗]) (\S+): \d+ passed, \d+ failed$/gm)].map((m) => [m[2], m[1]]),
    );
    const result: ServerConformanceResult = {
      passed: [],
      failed: [],
      warnings: [],
      raw: `${stdout}\n${stderr}`,
    };
    for (const scenario of new Set([...attempted, ...checks.keys()])) {
      const own = checks.get(scenario);
      if (own) {
        const failures = describe(own, 'FAILURE');
        if (failures) result.failed.push({ scenario, detail: failures });
        else result.passed.push(scenario);
        const warnings = describe(own, 'WARNING');
        if (warnings) result.warnings.push({ scenario, detail: warnings });
      } else if (summary.get(scenario) === '✓') {
        result.passed.push(scenario);
      } else {
        const crash = new RegExp(`Failed to run scenario ${scenario}:.*`).exec(stderr)?.[0];
        result.failed.push({ scenario, detail: crash ?? 'no result: the scenario did not finish' });
      }
    }
    if (timedOut) {
      result.failed.push({
        scenario: '(run)',
        detail: `the suite was killed after ${timeoutMs} ms`,
      });
    } else if (attempted.length === 0) {
      result.failed.push({ scenario: '(run)', detail: `no scenario ran (exit code ${exitCode})` });
    } else if (exitCode !== 0 && result.failed.length === 0) {
      result.failed.push({ scenario: '(run)', detail: `the suite exited with code ${exitCode}` });
    }
    return result;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export interface HeaderHop {
  /** The hop's URL: same path and query as the target, on the hop's own port. */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP hop in front of `targetUrl` that adds `headers` (replacing any of the same
 * name) and changes nothing else: method, path, every other header in its original order and
 * case — Host and Origin included — and the bodies both ways, streamed as they come (SSE too).
 *
 * Host is deliberately left as the client sent it (`127.0.0.1:<hop port>`), so that the
 * DNS-rebinding scenario's forged `Host: evil.example.com` reaches the server under test
 * unchanged and is judged there. The flip side: the server must accept the hop's own host as
 * legitimate, so configure it to allow `127.0.0.1:<hop port>` (and `localhost:<hop port>`) —
 * that keeps the legitimate case working while the foreign Host/Origin is still refused.
 */
export async function startHeaderHop(
  targetUrl: string,
  headers: Record<string, string>,
): Promise<HeaderHop> {
  const target = new URL(targetUrl);
  const added = Object.entries(headers);
  const replaced = new Set(added.map(([name]) => name.toLowerCase()));
  const agent = new Agent({ keepAlive: true });
  const upstreams = new Set<ClientRequest>();

  const server = createServer((req, res) => {
    const raw: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? '';
      if (!replaced.has(name.toLowerCase())) raw.push(name, req.rawHeaders[i + 1] ?? '');
    }
    for (const [name, value] of added) raw.push(name, value);

    const upstream = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: raw,
      setHost: false,
      agent,
    });
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      res.flushHeaders();
      answer.pipe(res);
      answer.on('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`header hop: ${error.message}`);
    });
    // The client went away: so does the upstream request, as it would without the hop.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}${target.search}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const upstream of upstreams) upstream.destroy();
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
