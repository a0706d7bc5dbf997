// A key reaches only its own account's MCP server (issue 19, item 11), against a real
// `keyway serve --sandbox`: each sandbox vendor is its own origin, and its request log shows
// which one a request reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToRunning } from '../../src/cli/control-client';
import type { KeywayApi } from '../../src/shared/contract';
import {
  sandboxKey,
  startSandboxKeyway,
  type SandboxKeyway,
  type VendorUrls,
} from '../fixtures/keyway-sandbox';
import { initializeThroughProxy } from '../support/mcp-initialize';

let kw: SandboxKeyway;
let api: KeywayApi;
let quave: VendorUrls;
let qyvo: VendorUrls;
let demo: { token: string; url: string };

const origin = (u: string) => new URL(u).origin;
const clearLog = (v: VendorUrls) =>
  fetch(`${origin(v.apiUrl)}/__sandbox/requests`, { method: 'DELETE' });
/** The MCP requests a vendor received since its log was cleared. */
async function mcpRequests(v: VendorUrls): Promise<string[]> {
  const res = await fetch(`${origin(v.apiUrl)}/__sandbox/requests`);
  const log = (await res.json()) as Array<{ method: string; path: string }>;
  return log.filter((r) => r.path.startsWith('/mcp')).map((r) => `${r.method} ${r.path}`);
}
async function connection(slug: string) {
  const all = await api['connection.list']({});
  return all.find((c) => c.slug === slug)!;
}

beforeAll(async () => {
  kw = await startSandboxKeyway();
  ({ api } = await connectToRunning(kw.dataDir));
  quave = kw.vendors.quave;
  qyvo = kw.vendors.qyvo;
  demo = kw.demo!;
  await api['account.add']({
    name: 'qy',
    vendor: 'qyvo',
    apiUrl: qyvo.apiUrl,
    mcpUrl: qyvo.mcpUrl,
  });
  const secret = (await sandboxKey(qyvo)).secret;
  const added = await kw.run(['key', 'add', 'qy/k', '--secret-stdin'], secret);
  expect(added.code, added.stderr).toBe(0);
});

afterAll(async () => {
  await kw?.stop();
});

describe("a connection's key goes only to its own account's MCP server", () => {
  it("a key from another account moves the connection to that account's MCP URL", async () => {
    const r = await kw.run(['connection', 'update', 'demo', '--key', 'qy/k']);
    expect(r.code, r.stderr).toBe(0);
    expect((await connection('demo')).upstream).toBe(qyvo.mcpUrl);
    await Promise.all([clearLog(quave), clearLog(qyvo)]);
    const res = await initializeThroughProxy(demo.url, demo.token);
    await res.body?.cancel();
    expect(res.status).toBe(200);
    expect(await mcpRequests(quave)).toEqual([]);
    expect(await mcpRequests(qyvo)).toContain('POST /mcp');
  });

  it('an upstream of its own on another origin is refused, naming both, unless given with the key', async () => {
    const own = `${quave.mcpUrl}/own`;
    await api['connection.add']({
      slug: 'own',
      key: 'demo/agent',
      upstream: own,
      transport: 'streamable-http',
    });
    const refused = await kw.run(['connection', 'update', 'own', '--key', 'qy/k']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(origin(quave.mcpUrl));
    expect(refused.stderr).toContain(origin(qyvo.mcpUrl));
    expect(await connection('own')).toMatchObject({ key: 'demo/agent', upstream: own });

    const chosen = await kw.run([
      'connection',
      'update',
      'own',
      '--key',
      'qy/k',
      '--upstream',
      own,
    ]);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(await connection('own')).toMatchObject({
      key: 'qy/k',
      upstream: own,
      upstreamSetFor: 'qy/k',
    });
    // The choice was for that key: back to a key of the server's own account, it is dropped.
    await api['connection.update']({ slug: 'own', key: 'demo/agent' });
    const back = await connection('own');
    expect(back).toMatchObject({ key: 'demo/agent', upstream: own });
    expect(back.upstreamSetFor).toBeUndefined();
  });

  it("connections follow their account's changed MCP URL", async () => {
    const moved = `${qyvo.mcpUrl}/v2`;
    await api['account.update']({ name: 'qy', mcpUrl: moved });
    expect((await connection('demo')).upstream).toBe(moved);
    await clearLog(qyvo);
    const res = await initializeThroughProxy(demo.url, demo.token);
    await res.body?.cancel();
    expect(res.status).toBe(200);
    expect(await mcpRequests(qyvo)).toContain('POST /mcp/v2');
  });

  it("the proxy does not send a key to an origin that is no longer its account's", async () => {
    // `pinned` keeps an upstream of its own on qy's origin; then qy's MCP server moves away.
    await api['connection.add']({
      slug: 'pinned',
      key: 'qy/k',
      upstream: `${qyvo.mcpUrl}/pinned`,
      transport: 'streamable-http',
    });
    const client = await api['client.add']({ name: 'pinned-client', connection: 'pinned' });
    await api['account.update']({ name: 'qy', mcpUrl: `${quave.mcpUrl}/elsewhere` });
    await clearLog(qyvo);
    const res = await initializeThroughProxy((await connection('pinned')).url, client.token);
    const body = (await res.json()) as { error: { message: string } };
    expect(res.status).toBe(502);
    expect(body.error.message).toContain(
      `did not send the key of connection "pinned" to ${origin(qyvo.mcpUrl)}`,
    );
    expect(await mcpRequests(qyvo)).toEqual([]);
  });
});
