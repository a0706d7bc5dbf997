import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from './index';
import type { Sandbox, SandboxVendor } from './index';
import { modernPost } from '../../test/support/modern-request';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
};

function mcpPost(vendor: SandboxVendor, headers: Record<string, string>, body: unknown = INIT) {
  return fetch(sb.vendors[vendor].mcpUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('each vendor’s MCP mount authenticates as its document says', () => {
  it('Qyvo: 401 Unauthenticated without the mcp scope, 422 for a user without a workspace', async () => {
    const noScope = sb.dashboard.createKey('qyvo', { scopes: [] }).secret;
    const r1 = await mcpPost('qyvo', { Authorization: `Bearer ${noScope}` });
    expect(r1.status).toBe(401);
    expect(await r1.json()).toEqual({ message: 'Unauthenticated.' });
    const noTenant = sb.dashboard.createKey('qyvo', { workspace: null }).secret;
    const r2 = await mcpPost('qyvo', { Authorization: `Bearer ${noTenant}` });
    expect(r2.status).toBe(422);
    expect(await r2.json()).toEqual({ message: 'No workspace configured for this account.' });
  });

  it('Quave: MCP keys only (raw header), not CLI user tokens', async () => {
    const user = sb.dashboard.createKey('quave', { kind: 'user-token' }).secret;
    expect((await mcpPost('quave', { Authorization: user })).status).toBe(401);
    const key = sb.dashboard.createKey('quave', { scopes: [] }).secret;
    expect((await mcpPost('quave', { Authorization: key })).status).toBe(200);
    expect((await mcpPost('quave', { Authorization: `Bearer ${key}` })).status).toBe(401);
  });

  it('Specivo: 401 without credentials, 403 for a key without mcp', async () => {
    const r1 = await mcpPost('specivo', {});
    expect(r1.status).toBe(401);
    expect(await r1.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    const noMcp = sb.dashboard.createKey('specivo', { scopes: [] }).secret;
    const r2 = await mcpPost('specivo', { Authorization: `Bearer ${noMcp}` });
    expect(r2.status).toBe(403);
  });

  it('Qwoty: the {success:false,error} body on MCP too', async () => {
    const r = await mcpPost('qwoty', { Authorization: 'Bearer qwt_prod_nope' });
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ success: false, error: 'Invalid API token' });
  });
});

describe('switches in front of MCP', () => {
  it('failNext answers with the vendor’s documented body for that status', async () => {
    const key = sb.dashboard.createKey('qyvo').secret;
    sb.setSwitches('qyvo', { failNext: { status: 404, count: 1 } });
    const r = await mcpPost('qyvo', { Authorization: `Bearer ${key}` });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      message: 'Personal access client not found. Please create one.',
    });
    expect((await mcpPost('qyvo', { Authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it('boundSessions: a session accepts only the key that opened it', async () => {
    const a = sb.dashboard.createKey('specivo').secret;
    const b = sb.dashboard.createKey('specivo').secret;
    const opened = await mcpPost('specivo', { Authorization: `Bearer ${a}` });
    const session = opened.headers.get('mcp-session-id') ?? '';
    expect(session).not.toBe('');
    await opened.body?.cancel();
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const withB = (bound: boolean) => {
      sb.setSwitches('specivo', { boundSessions: bound });
      return mcpPost(
        'specivo',
        {
          Authorization: `Bearer ${b}`,
          'Mcp-Session-Id': session,
          'MCP-Protocol-Version': '2025-06-18',
        },
        list,
      );
    };
    const unbound = await withB(false);
    expect(unbound.status).toBe(200);
    await unbound.body?.cancel();
    expect((await withB(true)).status).toBe(404);
    sb.setSwitches('specivo', { boundSessions: false });
  });
});

describe('the 2026-07-28-only server', () => {
  const discover = (key: string) => modernPost(sb.modern.mcpUrl, key, 'server/discover');

  it('answers server/discover with a dashboard key, refuses initialize, and refuses the key once revoked', async () => {
    const { id, secret } = sb.dashboard.createKey('modern', { name: 'agent' });
    const found = await discover(secret);
    expect(found.status).toBe(200);
    expect(JSON.stringify(await found.json())).toMatch(/2026-07-28/);
    const init = await fetch(sb.modern.mcpUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${secret}`,
      },
      body: JSON.stringify(INIT),
    });
    expect(init.status).toBe(400);
    await init.body?.cancel();
    expect(sb.dashboard.revokeKey('modern', id)).toBe(true);
    expect((await discover(secret)).status).toBe(401);
    expect(sb.requests('modern').map((r) => r.status)).toEqual([200, 400, 401]);
  });
});
