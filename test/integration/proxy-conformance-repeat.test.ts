// The MCP conformance server suite through the Keyway proxy, five runs in a row, against two
// vendors: the sandbox, and a server that sends its own requests (sampling, elicitation) on the
// session's standalone GET stream. Every scenario must pass through the proxy on every run: a
// race (a lost server request, a torn stream) shows as a flaky run. The scenarios are the ones
// the sandbox passes directly (both vendors serve the same tools). The standalone-stream server
// is no baseline of its own: directly, the suite's client sometimes sends its sampling call
// before its GET stream is open there, and the request is lost; the proxy keeps that order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxMcpEndpoint } from '../../src/sandbox/mcp/index';
import type { McpAuthResult, SandboxMcpEndpoint } from '../../src/sandbox/mcp/index';
import { runServerConformance, startHeaderHop } from '../support/conformance';
import type { HeaderHop } from '../support/conformance';
import { MemoryBackend, startProxy } from '../support/mcp-upstream';
import type { TestProxy } from '../support/mcp-upstream';
import { startStandaloneVendor } from '../support/standalone-vendor';
import type { StandaloneVendor } from '../support/standalone-vendor';

const RUNS = 5;
const KEY = 'spv_conformance_repeat_key_0123456789';
const TOKEN = 'keyway-local-token-conformance-repeat-0123456789';

interface Target {
  name: string;
  vendorUrl: string;
  close(): Promise<void>;
  /** Hosts the vendor must accept (its own, and the direct hop's for the baseline). */
  hosts: string[];
}

const hostsOf = (hop: HeaderHop): string[] => {
  const host = new URL(hop.url).host;
  return [host, host.replace('127.0.0.1', 'localhost')];
};

async function sandboxTarget(): Promise<Target> {
  let endpoint: SandboxMcpEndpoint | undefined;
  const target: Target = { name: 'sandbox', vendorUrl: '', hosts: [], close: async () => {} };
  const authenticate = (req: IncomingMessage): McpAuthResult =>
    req.headers.authorization === `Bearer ${KEY}`
      ? { ok: true, caller: { keyId: 'key-conformance', label: 'conformance' } }
      : { ok: false, status: 401, body: JSON.stringify({ message: 'Unauthenticated.' }) };
  const server: Server = createServer((req, res) => {
    endpoint ??= createSandboxMcpEndpoint({
      vendor: 'Specivo',
      authenticate,
      boundSessions: () => false,
      allowedHosts: target.hosts,
    });
    endpoint.handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  target.vendorUrl = `http://127.0.0.1:${port}/mcp`;
  target.hosts.push(`127.0.0.1:${port}`);
  target.close = async () => {
    await endpoint?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return target;
}

async function standaloneTarget(): Promise<Target> {
  const hosts: string[] = [];
  const vendor: StandaloneVendor = await startStandaloneVendor(KEY, () => hosts);
  hosts.push(new URL(vendor.url).host);
  return {
    name: 'standalone-stream server',
    vendorUrl: vendor.url,
    hosts,
    close: () => vendor.close(),
  };
}

const targets: Target[] = [];
let scenarios: string[] = [];
const hops: HeaderHop[] = [];
let px: TestProxy;
const backend = new MemoryBackend();
const proxyHosts: string[] = [];

beforeAll(async () => {
  targets.push(await sandboxTarget(), await standaloneTarget());
  px = await startProxy(backend, { extraHosts: proxyHosts });
  backend.tokens.set(TOKEN, { client: 'conformance', slug: 'sandbox' });
  backend.tokens.set(`${TOKEN}-2`, { client: 'conformance-2', slug: 'standalone' });
});

afterAll(async () => {
  await Promise.all(hops.map((hop) => hop.close()));
  await px.close();
  await Promise.all(targets.map((t) => t.close()));
});

describe(`the conformance server suite through the proxy, ${RUNS} runs in a row`, () => {
  for (const [i, slug] of ['sandbox', 'standalone'].entries()) {
    it(`against the ${slug === 'sandbox' ? 'sandbox' : 'standalone-stream server'}`, async () => {
      const target = targets[i]!;
      backend.addRoute(slug, target.vendorUrl, { versionId: 'v1', secret: KEY });
      const direct = await startHeaderHop(target.vendorUrl, { Authorization: `Bearer ${KEY}` });
      const proxied = await startHeaderHop(px.url(slug), {
        Authorization: `Bearer ${i === 0 ? TOKEN : `${TOKEN}-2`}`,
      });
      hops.push(direct, proxied);
      target.hosts.push(...hostsOf(direct));
      proxyHosts.push(...hostsOf(proxied));
      if (slug === 'sandbox') {
        const baseline = await runServerConformance(direct.url, {
          suite: 'all',
          timeoutMs: 40_000,
        });
        expect(baseline.failed).toEqual([]);
        scenarios = baseline.passed;
      }
      expect(scenarios.length).toBeGreaterThanOrEqual(30);
      const lost: string[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const result = await runServerConformance(proxied.url, { suite: 'all', timeoutMs: 40_000 });
        for (const f of result.failed) lost.push(`run ${run}: ${f.scenario}: ${f.detail}`);
        for (const scenario of scenarios) {
          if (!result.passed.includes(scenario)) lost.push(`run ${run}: ${scenario} did not pass`);
        }
      }
      expect(lost, `scenarios lost through the proxy:\n${lost.join('\n')}`).toEqual([]);
      console.log(
        `conformance ×${RUNS} (${target.name}): all ${scenarios.length} scenarios pass on every run through the proxy`,
      );
    }, 300_000);
  }
});
