// The realistic-network bench's peers (issue 24): a local CA and a vendor MCP server behind TLS
// that keeps idle connections 65 s without saying so (like nginx and most load balancers, it
// sends no Keep-Alive timeout hint), and a bench-only TCP relay that delays every chunk by 20 ms
// in each direction (the kernel's netem is not available here). Each runs in its own process.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { children, ROOT } from './proxy-bench-peers';

export const NET_KEY = 'vendor-network-bench-secret-0123456789';

export { makeCa } from '../support/local-ca';

const moduleUrl = (path: string): string => JSON.stringify(pathToFileURL(resolve(ROOT, path)).href);

const VENDOR_CHILD = `
import { createServer as createH1Server } from 'node:https';
import { createSecureServer } from 'node:http2';
import { readFileSync } from 'node:fs';
// NET_H2=1: the vendor offers HTTP/2 (ALPN h2, HTTP/1.1 still accepted), as many CDNs do.
const createServer = process.env.NET_H2 === '1'
  ? (opts, handler) => createSecureServer({ ...opts, allowHTTP1: true }, handler)
  : createH1Server;
const { createSandboxMcpEndpoint } = await import(${moduleUrl('src/sandbox/mcp/index.ts')});
const caller = { keyId: 'key-net', label: 'bench' };
const endpoint = createSandboxMcpEndpoint({
  vendor: 'Qyvo',
  boundSessions: () => false,
  allowedHosts: ['127.0.0.1:' + process.env.NET_PUBLIC_PORT], // the relay's: clients call it

  authenticate: (req) =>
    req.headers.authorization === 'Bearer ' + process.env.NET_KEY
      ? { ok: true, caller }
      : { ok: false, status: 401, headers: { 'WWW-Authenticate': 'Bearer' }, body: '{}' },
});
const server = createServer(
  { key: readFileSync(process.env.NET_TLS_KEY), cert: readFileSync(process.env.NET_TLS_CERT) },
  (req, res) => {
    res._keepAliveTimeout = 0; // no "Keep-Alive: timeout=" hint, as nginx and most fronts (h1)
    req.headers.host ??= req.headers[':authority']; // h2 names the host in :authority
    void endpoint.handle(req, res).catch(() => res.destroy());
  },
);
if (process.env.NET_H2 === '1') server.setTimeout(65000);
else server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

const RELAY_CHILD = `
import { createServer, connect } from 'node:net';
const DELAY = Number(process.env.NET_DELAY_MS);
let target = 0;
process.stdin.once('data', (port) => (target = Number(String(port).trim()))); // the vendor's, once it listens
// Every chunk (and the end) is passed on DELAY ms after it arrived, in order, both ways.
const delayed = (from, to) => {
  from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), DELAY));
  from.on('end', () => setTimeout(() => to.end(), DELAY));
  from.on('error', () => setTimeout(() => to.destroy(), DELAY));
  from.on('close', () => setTimeout(() => to.destroy(), DELAY + 1));
};
const server = createServer((a) => {
  a.setNoDelay(true);
  const b = connect(target, '127.0.0.1');
  b.setNoDelay(true);
  delayed(a, b);
  delayed(b, a);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

async function child(
  code: string,
  env: Record<string, string>,
  flags: string[],
  withStdin = false,
): Promise<{ port: number; stdin: Writable | null }> {
  const c = spawn(process.execPath, [...flags, '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'inherit'],
  });
  children.push(c);
  for await (const line of createInterface({ input: c.stdout! }))
    return { port: (JSON.parse(line) as { port: number }).port, stdin: c.stdin };
  throw new Error('a network bench process exited before it was ready');
}

/** The vendor behind TLS and the delaying relay in front of it; returns the relay's MCP URL. */
export async function startRemoteVendor(
  tls: { cert: string; key: string },
  delayMs: number,
  opts: { h2?: boolean } = {},
) {
  const relay = await child(RELAY_CHILD, { NET_DELAY_MS: String(delayMs) }, [], true);
  const vendor = await child(
    VENDOR_CHILD,
    {
      NET_KEY,
      NET_TLS_KEY: tls.key,
      NET_TLS_CERT: tls.cert,
      NET_PUBLIC_PORT: String(relay.port),
      NET_H2: opts.h2 ? '1' : '0',
    },
    ['--import', 'tsx'],
  );
  relay.stdin?.end(`${vendor.port}\n`);
  return { url: `https://127.0.0.1:${relay.port}/mcp` };
}
