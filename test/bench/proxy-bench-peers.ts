// The processes the proxy bench measures: the sandbox vendor, the Keyway proxy (bundled as it
// ships), and nginx as the native one-hop floor; plus what the bench reads of them from /proc.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../..');
export const VENDOR_KEY = 'vendor-bench-secret-0123456789';
export const TOKEN = 'keyway-bench-local-token-0123456789';
const moduleUrl = (path: string): string => JSON.stringify(pathToFileURL(resolve(ROOT, path)).href);

const VENDOR_CHILD = `
const { startUpstream } = await import(${moduleUrl('test/support/mcp-upstream.ts')});
const up = await startUpstream();
up.keys.set(${JSON.stringify(VENDOR_KEY)}, { keyId: 'key-bench', label: 'bench' });
up.seen.push = () => 0; // no header log: it would grow for the whole run
console.log(JSON.stringify({ url: up.url }));
`;

const PROXY_CHILD = `
import { createServer } from 'node:http';
const { createMcpProxy } = await import(process.env.BENCH_PROXY_MODULE);
const upstream = new URL(process.env.BENCH_UPSTREAM);
let port = 0;
const proxy = createMcpProxy({
  route: (slug) => ({ slug, upstream, transport: 'streamable-http', auth: { header: 'Authorization', prefix: 'Bearer ' } }),
  currentKey: async () => ({ versionId: 'v1', secret: ${JSON.stringify(VENDOR_KEY)}, origin: upstream.origin }),
  authenticate: (_slug, token) => (token === ${JSON.stringify(TOKEN)} ? { client: 'bench' } : undefined),
  renewKey: async () => false,
  onKeyRefused() {},
  onRequestDone() {},
  onClientSession() {},
}, { allowedHosts: () => ['127.0.0.1:' + port] });
const server = createServer((req, res) => proxy.handle(req, res, 'bench'));
server.keepAliveTimeout = 65000;
process.on('SIGINT', () => process.exit(0)); // a clean exit writes the --cpu-prof profile
process.on('SIGUSR2', () => globalThis.gc?.()); // the bench collects before it reads RSS
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  console.log(JSON.stringify({ url: 'http://127.0.0.1:' + port + '/mcp/bench' }));
});
`;

export const children: ChildProcess[] = [];

async function startChild(
  code: string,
  env: Record<string, string>,
  flags: string[],
): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (!line.startsWith('{')) continue; // a V8 trace flag's output, say
    return { url: (JSON.parse(line) as { url: string }).url, pid: child.pid ?? 0 };
  }
  throw new Error('a bench process exited before it was ready');
}

/** `tsx` only for the vendor (test support code). */
export const startVendor = (): Promise<{ url: string; pid: number }> =>
  startChild(VENDOR_CHILD, {}, ['--import', 'tsx']);

/** The proxy runs bundled, as it ships; `profileDir` records a CPU profile of it. */
export const startKeyway = (
  vendorUrl: string,
  proxyModule: string,
  profileDir?: string,
): Promise<{ url: string; pid: number }> =>
  startChild(PROXY_CHILD, { BENCH_UPSTREAM: vendorUrl, BENCH_PROXY_MODULE: proxyModule }, [
    '--expose-gc',
    ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ]);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Debian's nginx, installed here if missing and possible; undefined (with why) otherwise. */
function nginxBinary(): { bin?: string; why?: string } {
  const found = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (found) return { bin: found };
  if (process.getuid?.() !== 0)
    return { why: 'nginx is not installed (and installing needs root)' };
  console.log('  installing nginx-light for the native baseline (apt-get)…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status === 0 && existsSync('/usr/sbin/nginx')) return { bin: '/usr/sbin/nginx' };
  return { why: 'nginx is not installed and apt-get could not install nginx-light' };
}

/**
 * nginx as an unprivileged foreground process with its own config in `dir`: one worker, a
 * keep-alive upstream, no response buffering, the vendor key set on every request.
 */
export async function startNginx(
  vendorUrl: string,
  dir: string,
): Promise<{ url: string; pid: number } | { skipped: string }> {
  const { bin, why } = nginxBinary();
  if (!bin) return { skipped: why ?? 'nginx unavailable' };
  const port = await freePort();
  const vendor = new URL(vendorUrl);
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  const t = join(dir, 'tmp');
  await writeFile(
    conf,
    `worker_processes 1;
daemon off;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${t}/body; proxy_temp_path ${t}/proxy; fastcgi_temp_path ${t}/fcgi;
  uwsgi_temp_path ${t}/uwsgi; scgi_temp_path ${t}/scgi;
  upstream vendor { server ${vendor.host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://vendor;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host ${vendor.host};
      proxy_set_header Authorization "Bearer ${VENDOR_KEY}";
      proxy_buffering off;
      proxy_read_timeout 3600s;
    }
  }
}
`,
  );
  const child = spawn(bin, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return { url: `http://127.0.0.1:${port}${vendor.pathname}`, pid: child.pid ?? 0 };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { skipped: 'nginx did not start (see its error log above)' };
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** CPU time (user + system, ms) of a process and its children that are still alive. */
export function cpuMs(pid: number): number {
  let total = 0;
  for (const p of [pid, ...childPids(pid)]) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // gone
    }
  }
  return total;
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1];
      if (Number(ppid) === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The top self-time entries of a V8 CPU profile, as `share% function (file:line)` of busy time. */
export function topOfProfile(file: string, n = 12): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue; // shares are of the time the proxy was busy
    total += hits;
    const where = url ? `${url.replace(/^.*\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
