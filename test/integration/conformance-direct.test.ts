// The MCP conformance server suite, run directly against a sandbox vendor's MCP endpoint: the
// baseline the Keyway proxy is held to ("passes every scenario the upstream passes directly").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { createSandboxMcpEndpoint } from '../../src/sandbox/mcp';
import type { McpAuthResult, SandboxMcpEndpoint } from '../../src/sandbox/mcp';
import { listenOnLoopback } from '../../src/sandbox/mcp/loopback';
import type { LoopbackServer } from '../../src/sandbox/mcp/loopback';
import { runServerConformance, startHeaderHop } from '../support/conformance';
import type { HeaderHop } from '../support/conformance';

const TEST_KEY = 'spv_conformance_test_key_0123456789';

function authenticate(req: IncomingMessage): McpAuthResult {
  if (req.headers.authorization === `Bearer ${TEST_KEY}`) {
    return { ok: true, caller: { keyId: 'key-conformance', label: 'conformance suite' } };
  }
  return { ok: false, status: 401, body: JSON.stringify({ message: 'Unauthenticated.' }) };
}

describe('MCP conformance server suite, directly against the sandbox endpoint', () => {
  let vendorServer: LoopbackServer;
  let hop: HeaderHop;
  let wrongKeyHop: HeaderHop;
  let endpoint: SandboxMcpEndpoint | undefined;

  beforeAll(async () => {
    // The endpoint must allow the hop's Host (the hop leaves Host untouched so the rebinding
    // scenario's forged Host reaches the endpoint), and the hop needs the endpoint's URL: so
    // listen first, start the hop, then build the endpoint knowing the hop's port.
    vendorServer = await listenOnLoopback(async (req, res) => {
      if (!endpoint) return void res.writeHead(503).end();
      await endpoint.handle(req, res);
    });
    hop = await startHeaderHop(vendorServer.url('/mcp'), { Authorization: `Bearer ${TEST_KEY}` });
    wrongKeyHop = await startHeaderHop(vendorServer.url('/mcp'), {
      Authorization: 'Bearer spv_wrong',
    });
    const hopHosts = [hop, wrongKeyHop].map((h) => new URL(h.url).host);
    endpoint = createSandboxMcpEndpoint({
      vendor: 'Specivo',
      authenticate,
      boundSessions: () => false,
      allowedHosts: [
        ...hopHosts,
        ...hopHosts.map((host) => host.replace('127.0.0.1', 'localhost')),
      ],
    });
  });

  afterAll(async () => {
    await hop.close();
    await wrongKeyHop.close();
    await endpoint?.close();
    await vendorServer.close();
  });

  it('passes every scenario, pending ones included', async () => {
    const result = await runServerConformance(hop.url, { suite: 'all', timeoutMs: 55_000 });
    const failures = result.failed.map((f) => `${f.scenario}: ${f.detail}`).join('\n');
    expect(failures, `conformance failures:\n${failures}`).toBe('');
    expect(result.passed).toEqual(
      expect.arrayContaining([
        'server-initialize',
        'dns-rebinding-protection',
        'tools-call-elicitation',
      ]),
    );
    expect(result.passed.length).toBeGreaterThanOrEqual(30);
  }, 60_000);

  it('is really authenticated: the same suite with a wrong key is refused', async () => {
    const result = await runServerConformance(wrongKeyHop.url, {
      scenario: 'server-initialize',
      timeoutMs: 20_000,
    });
    expect(result.passed).toEqual([]);
    expect(result.failed).toEqual([
      {
        scenario: 'server-initialize',
        detail: expect.stringMatching(/Unauthenticated/) as unknown,
      },
    ]);
  }, 30_000);
});
