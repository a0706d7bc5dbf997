// The bar from DESIGN.md: the MCP conformance server suite, run through the Keyway proxy, passes
// every scenario the sandbox vendor passes directly, in the same run. The suite's client sends
// no credentials, so a header hop adds them: the vendor key for the direct run, a local token for
// the proxied one. The hop leaves Host and Origin alone, so dns-rebinding-protection is judged at
// the proxy (the vendor behind it only ever sees the proxy's own requests).
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandboxMcpEndpoint } from '../../src/sandbox/mcp/index';
import type { McpAuthResult, SandboxMcpEndpoint } from '../../src/sandbox/mcp/index';
import { runServerConformance, startHeaderHop } from '../support/conformance';
import type { HeaderHop } from '../support/conformance';
import { MemoryBackend, startProxy } from '../support/mcp-upstream';
import type { TestProxy } from '../support/mcp-upstream';

const VENDOR_KEY = 'spv_conformance_proxy_key_0123456789';
const LOCAL_TOKEN = 'keyway-local-token-conformance-0123456789';

let vendor: Server;
let vendorPort = '';
let endpoint: SandboxMcpEndpoint | undefined;
let px: TestProxy;
let directHop: HeaderHop;
let proxyHop: HeaderHop;
const vendorSawAuth = new Set<string>();
const vendorSawHosts = new Set<string>();

function authenticate(req: IncomingMessage): McpAuthResult {
  vendorSawAuth.add(req.headers.authorization ?? '');
  vendorSawHosts.add(req.headers.host ?? '');
  if (req.headers.authorization === `Bearer ${VENDOR_KEY}`) {
    return { ok: true, caller: { keyId: 'key-conformance', label: 'conformance' } };
  }
  return { ok: false, status: 401, body: JSON.stringify({ message: 'Unauthenticated.' }) };
}

const hostsOf = (hop: HeaderHop): string[] => {
  const host = new URL(hop.url).host;
  return [host, host.replace('127.0.0.1', 'localhost')];
};

beforeAll(async () => {
  vendor = createServer((req, res) => {
    if (!endpoint) return void res.writeHead(503).end();
    endpoint.handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  vendorPort = String((vendor.address() as AddressInfo).port);
  const vendorUrl = `http://127.0.0.1:${vendorPort}/mcp`;
  directHop = await startHeaderHop(vendorUrl, { Authorization: `Bearer ${VENDOR_KEY}` });
  const proxyHosts: string[] = [];
  const backend = new MemoryBackend();
  backend.addRoute('specivo', vendorUrl, { versionId: 'v1', secret: VENDOR_KEY });
  backend.tokens.set(LOCAL_TOKEN, { client: 'conformance', slug: 'specivo' });
  px = await startProxy(backend, { extraHosts: proxyHosts });
  proxyHop = await startHeaderHop(px.url('specivo'), { Authorization: `Bearer ${LOCAL_TOKEN}` });
  proxyHosts.push(...hostsOf(proxyHop));
  const vendorHost = new URL(vendorUrl).host;
  endpoint = createSandboxMcpEndpoint({
    vendor: 'Specivo',
    authenticate,
    boundSessions: () => false,
    // The vendor accepts the direct hop's Host (for the baseline) and its own (the proxy's requests).
    allowedHosts: [...hostsOf(directHop), vendorHost],
  });
});

afterAll(async () => {
  await proxyHop.close();
  await directHop.close();
  await px.close();
  await endpoint?.close();
  vendor.closeAllConnections();
  await new Promise((resolve) => vendor.close(resolve));
});

it('passes through the proxy every scenario the vendor passes directly', async () => {
  const direct = await runServerConformance(directHop.url, { suite: 'all', timeoutMs: 25_000 });
  vendorSawAuth.clear();
  vendorSawHosts.clear();
  const proxied = await runServerConformance(proxyHop.url, { suite: 'all', timeoutMs: 25_000 });
  expect(direct.passed.length).toBeGreaterThanOrEqual(30);
  const lost = direct.passed
    .filter((scenario) => !proxied.passed.includes(scenario))
    .map(
      (scenario) =>
        `${scenario}: ${proxied.failed.find((f) => f.scenario === scenario)?.detail ?? 'did not run'}`,
    );
  expect(
    lost,
    `scenarios that pass directly but not through the proxy:\n${lost.join('\n')}`,
  ).toEqual([]);
  expect(proxied.passed).toContain('dns-rebinding-protection');
  // The vendor saw only its key: never the local token, never a missing key.
  expect([...vendorSawAuth].filter((a) => a !== `Bearer ${VENDOR_KEY}`)).toEqual([]);
  // The forged Host was refused at the proxy: the vendor only ever saw the proxy's own requests.
  expect([...vendorSawHosts]).toEqual([`127.0.0.1:${vendorPort}`]);
  console.log(
    `conformance: ${direct.passed.length} scenarios pass directly, ${proxied.passed.length} through the proxy`,
  );
}, 58_000);
