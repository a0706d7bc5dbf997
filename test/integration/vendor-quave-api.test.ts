import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import type { VendorEndpoint } from '../../src/main/core/vendors';
import { createMcpKey, deleteMcpKey, listMcpKeys } from '../../src/main/core/vendors/quave-api';
import {
  getAppEnvToken,
  getMcpKey,
  getUserToken,
  regenerateMcpKey,
  revealMcpKey,
  toggleMcpKey,
  updateMcpKey,
} from '../support/quave-api-client';
import type { Sandbox } from '../../src/sandbox';
import { QUAVE_MANAGER, quaveMcpKey, startQuaveSandbox } from '../support/quave-sandbox';

const quave = vendorAdapter('quave');
const MANAGER = QUAVE_MANAGER;
let sb: Sandbox;
let ep: VendorEndpoint;
let userToken: string;

beforeAll(async () => {
  ({ sb, ep, userToken } = await startQuaveSandbox());
});
afterAll(() => sb.close());

const mcpKey = (scopes: string[]) => quaveMcpKey(sb, scopes);

describe('Tokens API', () => {
  it('GET user/token returns the authenticated user’s CLI token', async () => {
    const t = await getUserToken(ep, userToken);
    expect(t).toMatchObject({ token: userToken, username: 'johndoe', email: 'john@example.com' });
    expect(Date.parse(t.cliTokenGeneratedAt)).not.toBeNaN();
  });
  it('lets an MCP key with quave:read:secrets read its user’s CLI token', async () => {
    const { secret } = mcpKey(['quave:read:secrets']);
    expect((await getUserToken(ep, secret)).token).toBe(userToken);
  });
  it('refuses MCP keys without quave:read:secrets', async () => {
    const { secret } = mcpKey([]);
    await expect(getUserToken(ep, secret)).rejects.toMatchObject({
      kind: 'forbidden',
      status: 403,
      message: expect.stringMatching(/lacks quave:read:secrets/) as unknown,
    });
  });
  it('GET app-env/token by appEnvId or envName for an account admin', async () => {
    const byId = await getAppEnvToken(ep, userToken, { appEnvId: '5f7b1b7b7b7b7b7b7b7b7b7b' });
    expect(byId).toMatchObject({
      appEnvId: '5f7b1b7b7b7b7b7b7b7b7b7b',
      cliEnvName: 'production',
      name: 'Production',
    });
    expect(byId.token).toMatch(/^[0-9a-f]{48}$/);
    const byName = await getAppEnvToken(ep, userToken, { envName: 'staging' });
    expect(byName).toMatchObject({ cliEnvName: 'staging', name: 'Staging' });
  });
  it('app-env/token requires admin permission on the account', async () => {
    const jane = sb.dashboard.createKey('quave', { kind: 'user-token', user: 'jane' }).secret;
    await expect(getAppEnvToken(ep, jane, { envName: 'production' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/Admin permission on the account is required/) as unknown,
    });
  });
  it('app-env/token: MCP callers need quave:read:secrets; bad input and unknown envs are named', async () => {
    await expect(
      getAppEnvToken(ep, mcpKey([]).secret, { envName: 'production' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const withSecrets = mcpKey(['quave:read:secrets']).secret;
    expect((await getAppEnvToken(ep, withSecrets, { envName: 'production' })).cliEnvName).toBe(
      'production',
    );
    await expect(getAppEnvToken(ep, userToken, { envName: '' })).rejects.toMatchObject({
      kind: 'bad-request',
      message: expect.stringMatching(/appEnvId or envName is required/) as unknown,
    });
    await expect(getAppEnvToken(ep, userToken, { appEnvId: 'nope' })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
  it('refuses a wrong token with 401', async () => {
    await expect(getUserToken(ep, 'not-a-token')).rejects.toMatchObject({
      kind: 'refused',
      status: 401,
    });
  });
});

describe('MCP Keys API', () => {
  it('create with returnSecret returns rawKey once, adds quave:read, and the key works on MCP', async () => {
    const { key, rawKey } = await createMcpKey(ep, userToken, {
      name: 'automation-read',
      enabledScopes: ['quave:write:config'],
      securityLevel: 'strict',
      sessionDuration: 900,
      returnSecret: true,
    });
    expect(rawKey).toBeTruthy();
    expect(key).toMatchObject({
      name: 'automation-read',
      enabledScopes: ['quave:read', 'quave:write:config'],
      enabled: true,
      securityLevel: 'strict',
      sessionDuration: 900,
    });
    await expect(probeMcp(ep, rawKey ?? '', undefined, 'quave')).resolves.toMatchObject({
      serverName: expect.any(String) as unknown,
    });
    // Metadata never carries the plaintext.
    const listed = await listMcpKeys(ep, userToken);
    expect(listed.map((k) => k.keyId)).toContain(key.keyId);
    expect(JSON.stringify(listed)).not.toContain(rawKey);
    expect(JSON.stringify(await getMcpKey(ep, userToken, key.keyId))).not.toContain(rawKey);
  });
  it('create without returnSecret leaves the plaintext out', async () => {
    const { rawKey } = await createMcpKey(ep, userToken, { name: 'no-secret' });
    expect(rawKey).toBeNull();
  });
  it('update changes name, scopes, security level and session duration; enabled:false cuts it off', async () => {
    const { key, rawKey } = await createMcpKey(ep, userToken, { name: 'upd', returnSecret: true });
    const updated = await updateMcpKey(ep, userToken, {
      keyId: key.keyId,
      name: 'upd-2',
      enabled: true,
      enabledScopes: ['quave:write:config'],
      securityLevel: 'relaxed',
      sessionDuration: 3600,
    });
    expect(updated).toMatchObject({
      name: 'upd-2',
      enabledScopes: ['quave:read', 'quave:write:config'],
      securityLevel: 'relaxed',
      sessionDuration: 3600,
    });
    await updateMcpKey(ep, userToken, { keyId: key.keyId, enabled: false });
    await expect(probeMcp(ep, rawKey ?? '', undefined, 'quave')).rejects.toMatchObject({
      kind: 'refused',
    });
  });
  it('toggle disables and re-enables a key at once', async () => {
    const { key, rawKey } = await createMcpKey(ep, userToken, { name: 'tog', returnSecret: true });
    expect((await toggleMcpKey(ep, userToken, key.keyId, false)).enabled).toBe(false);
    await expect(quave.verify(ep, rawKey ?? '')).rejects.toMatchObject({
      kind: 'refused',
      status: 401,
    });
    expect((await toggleMcpKey(ep, userToken, key.keyId, true)).enabled).toBe(true);
    await expect(probeMcp(ep, rawKey ?? '', undefined, 'quave')).resolves.toBeTruthy();
  });
  it('regenerate issues a new secret (and name); the old one stops working', async () => {
    const { key, rawKey: old } = await createMcpKey(ep, userToken, {
      name: 'regen',
      returnSecret: true,
    });
    const next = await regenerateMcpKey(ep, userToken, {
      keyId: key.keyId,
      name: 'regen-2',
      returnSecret: true,
    });
    expect(next.key).toMatchObject({ keyId: key.keyId, name: 'regen-2' });
    expect(next.rawKey).toBeTruthy();
    expect(next.rawKey).not.toBe(old);
    expect(sb.dashboard.isLive('quave', old ?? '')).toBe(false);
    await expect(probeMcp(ep, old ?? '', undefined, 'quave')).rejects.toMatchObject({
      kind: 'refused',
    });
    await expect(probeMcp(ep, next.rawKey ?? '', undefined, 'quave')).resolves.toBeTruthy();
  });
  it('reveal returns the plaintext and records a secret-decrypt audit event', async () => {
    const { key, rawKey } = await createMcpKey(ep, userToken, { name: 'rev', returnSecret: true });
    expect(await revealMcpKey(ep, userToken, key.keyId)).toBe(rawKey);
    expect(sb.dashboard.audit('quave')).toContainEqual(
      expect.objectContaining({
        event: 'secret-decrypt',
        keyId: key.keyId,
        by: 'johndoe',
      }) as unknown,
    );
  });
  it('delete removes the key at once; a second delete or get is not-found', async () => {
    const { key, rawKey } = await createMcpKey(ep, userToken, { name: 'del', returnSecret: true });
    await deleteMcpKey(ep, userToken, key.keyId);
    expect(sb.dashboard.isLive('quave', rawKey ?? '')).toBe(false);
    await expect(getMcpKey(ep, userToken, key.keyId)).rejects.toMatchObject({
      kind: 'not-found',
      status: 404,
    });
    await expect(deleteMcpKey(ep, userToken, key.keyId)).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
  it('validation is shared with the dashboard: name, scopes, security level, session duration', async () => {
    const bad = async (input: Parameters<typeof createMcpKey>[2], why: RegExp) =>
      expect(createMcpKey(ep, userToken, input)).rejects.toMatchObject({
        kind: 'bad-request',
        status: 400,
        message: expect.stringMatching(why) as unknown,
      });
    await bad({ name: '  ' }, /name is required/);
    await bad({ name: 'x'.repeat(65) }, /at most 64/);
    await bad({ name: 'ok', enabledScopes: ['quave:admin'] }, /Unknown scope quave:admin/);
    await bad({ name: 'ok', securityLevel: 'paranoid' }, /relaxed, balanced, strict/);
    await bad({ name: 'ok', sessionDuration: 299 }, /300 to 86400/);
    await bad({ name: 'ok', sessionDuration: 86_401 }, /300 to 86400/);
    expect(() => sb.dashboard.createKey('quave', { securityLevel: 'paranoid' })).toThrow(
      /relaxed, balanced, strict/,
    );
  });
  it('MCP callers need quave:manage:mcp-keys for every operation', async () => {
    const { secret } = mcpKey(['quave:read:secrets']);
    await expect(listMcpKeys(ep, secret)).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/lacks quave:manage:mcp-keys/) as unknown,
    });
    await expect(createMcpKey(ep, secret, { name: 'x' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
  it('rawKey and reveal need quave:read:secrets for MCP callers', async () => {
    const { secret } = mcpKey(['quave:manage:mcp-keys']);
    const created = await createMcpKey(ep, secret, { name: 'x', returnSecret: true });
    expect(created.rawKey).toBeNull();
    await expect(revealMcpKey(ep, secret, created.key.keyId)).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/quave:read:secrets/) as unknown,
    });
  });
  it('rejects escalation server-side: grant, update or manage beyond the caller’s scopes', async () => {
    const { secret } = mcpKey(MANAGER);
    await expect(
      createMcpKey(ep, secret, { name: 'esc', enabledScopes: ['quave:write:config'] }),
    ).rejects.toMatchObject({ kind: 'escalation', status: 403 });
    const mine = await createMcpKey(ep, secret, {
      name: 'mine',
      enabledScopes: ['quave:read:secrets'],
    });
    await expect(
      updateMcpKey(ep, secret, { keyId: mine.key.keyId, enabledScopes: ['quave:write:config'] }),
    ).rejects.toMatchObject({ kind: 'escalation' });
    const bigger = mcpKey(['quave:write:config']);
    await expect(toggleMcpKey(ep, secret, bigger.id, false)).rejects.toMatchObject({
      kind: 'escalation',
    });
    expect(sb.dashboard.isLive('quave', bigger.secret)).toBe(true);
  });
  it('a user only sees and manages their own keys', async () => {
    const jane = sb.dashboard.createKey('quave', { kind: 'user-token', user: 'jane' }).secret;
    const johns = mcpKey([]);
    await expect(getMcpKey(ep, jane, johns.id)).rejects.toMatchObject({ kind: 'not-found' });
    expect((await listMcpKeys(ep, jane)).map((k) => k.keyId)).not.toContain(johns.id);
  });
  it('deleting a key fails a request it has in flight on the MCP server', async () => {
    const { key, rawKey } = await createMcpKey(ep, userToken, {
      name: 'inflight',
      returnSecret: true,
    });
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(ep.mcpUrl), {
        requestInit: { headers: { Authorization: rawKey ?? '' } },
      }),
    );
    try {
      let started!: () => void;
      const progressed = new Promise<void>((r) => (started = r));
      const call = client.callTool(
        { name: 'slow', arguments: { steps: 100, delayMs: 50 } },
        undefined,
        {
          onprogress: () => started(),
        },
      );
      await progressed;
      await deleteMcpKey(ep, userToken, key.keyId);
      await expect(call).rejects.toThrow(/revoked/);
    } finally {
      await client.close();
    }
  });
});
