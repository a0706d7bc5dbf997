import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import type { VendorEndpoint } from '../../src/main/core/vendors';
import { getMcpKey } from '../support/quave-api-client';
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
const posts = () => sb.requests('quave').filter((r) => r.method === 'POST').length;

describe('Quave adapter', () => {
  it('verifies a user token by listing MCP keys', async () => {
    const r = await quave.verify(ep, userToken);
    expect(r.identity).toMatch(/manages MCP keys \(\d+ keys? visible\)/);
    expect(r.warnings).toEqual([]);
  });
  it('verifies an MCP key without quave:manage:mcp-keys (an ordinary agent key), naming what it is', async () => {
    const r = await quave.verify(ep, mcpKey([]).secret);
    expect(r.identity).toBe('Quave MCP key without quave:manage:mcp-keys');
    expect(r.warnings).toEqual([]);
  });
  it('refuses a wrong key, and a "Bearer " prefix Quave does not take', async () => {
    await expect(quave.verify(ep, 'wrong')).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/raw token, without "Bearer "/) as unknown,
    });
    const bearer = { ...ep, auth: { header: 'Authorization', prefix: 'Bearer ' } };
    await expect(quave.verify(bearer, userToken)).rejects.toMatchObject({ kind: 'refused' });
  });
  it('mints with create+returnSecret, lists, and revokes with DELETE', async () => {
    const minted = await quave.mint!(ep, userToken, null, {
      name: 'keyway-mint',
      scopes: ['quave:write:config'],
      options: { securityLevel: 'strict', sessionDuration: 600 },
    });
    expect(minted).toMatchObject({ scopes: ['quave:read', 'quave:write:config'], expires: null });
    await expect(probeMcp(ep, minted.secret, undefined, 'quave')).resolves.toBeTruthy();
    expect(await getMcpKey(ep, userToken, minted.vendorKeyId)).toMatchObject({
      securityLevel: 'strict',
      sessionDuration: 600,
    });
    const listed = await quave.list!(ep, userToken);
    expect(listed).toContainEqual({
      vendorKeyId: minted.vendorKeyId,
      name: 'keyway-mint',
      scopes: ['quave:read', 'quave:write:config'],
      enabled: true,
    });
    await quave.revoke!(ep, userToken, minted.vendorKeyId);
    expect(sb.dashboard.isLive('quave', minted.secret)).toBe(false);
    await expect(probeMcp(ep, minted.secret, undefined, 'quave')).rejects.toMatchObject({
      kind: 'refused',
    });
  });
  it('mints with an MCP key holding the management scopes, within its own scopes', async () => {
    const { secret } = mcpKey([...MANAGER]);
    const minted = await quave.mint!(ep, secret, ['quave:read', ...MANAGER], {
      name: 'child',
      scopes: ['quave:read:secrets'],
      options: {},
    });
    expect(minted.scopes).toEqual(['quave:read', 'quave:read:secrets']);
  });
  it('stops escalation before any call (checkScopes), sending nothing', async () => {
    const { secret } = mcpKey([...MANAGER]);
    const before = posts();
    await expect(
      quave.mint!(ep, secret, ['quave:read', ...MANAGER], {
        name: 'esc',
        scopes: ['quave:write:config'],
        options: {},
      }),
    ).rejects.toMatchObject({
      kind: 'escalation',
      message: expect.stringMatching(/does not hold quave:write:config/) as unknown,
    });
    await expect(
      quave.mint!(ep, secret, ['quave:read'], { name: 'x', scopes: [], options: {} }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/without quave:manage:mcp-keys/) as unknown,
    });
    expect(posts()).toBe(before);
  });
  it('maps the server-side escalation refusal when called anyway', async () => {
    const { secret } = mcpKey([...MANAGER]);
    const before = posts();
    // The caller does not know the credential is a scoped MCP key (null): Quave itself refuses.
    await expect(
      quave.mint!(ep, secret, null, { name: 'esc', scopes: ['quave:write:config'], options: {} }),
    ).rejects.toMatchObject({
      kind: 'escalation',
      status: 403,
      message: expect.stringMatching(/never grant/) as unknown,
    });
    expect(posts()).toBe(before + 1);
  });
  it('deletes a key Quave created without returning its plaintext, and says why', async () => {
    const { secret } = mcpKey(['quave:manage:mcp-keys']);
    await expect(
      quave.mint!(ep, secret, null, { name: 'orphan', scopes: [], options: {} }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringMatching(/did not return its plaintext.*deleted it again/) as unknown,
    });
    const orphan = sb.dashboard.keys('quave').find((k) => k.name === 'orphan');
    expect(orphan?.live).toBe(false);
  });
  it('passes Quave’s validation message through on mint', async () => {
    await expect(
      quave.mint!(ep, userToken, null, {
        name: 'x',
        scopes: [],
        options: { securityLevel: 'paranoid' },
      }),
    ).rejects.toMatchObject({
      kind: 'bad-request',
      message: expect.stringMatching(/securityLevel must be one of/) as unknown,
    });
  });
});

describe('Quave API URL: the bare host or the base of its examples', () => {
  const forms = [
    ['the bare host', ''],
    ["the documents' base, /api/public/v1", '/api/public/v1'],
    ['with a trailing slash', '/api/public/v1/'],
  ] as const;
  for (const [what, suffix] of forms) {
    it(`${what}: verify, mint, list and revoke reach /api/public/v1 once`, async () => {
      const at = { ...ep, apiUrl: ep.apiUrl.replace(/\/+$/, '') + suffix };
      sb.clearRequests('quave');
      await expect(quave.verify(at, userToken)).resolves.toMatchObject({ warnings: [] });
      const minted = await quave.mint!(at, userToken, null, {
        name: `url-form${suffix.replace(/\//g, '-')}`,
        scopes: [],
        options: {},
      });
      expect((await quave.list!(at, userToken)).map((k) => k.vendorKeyId)).toContain(
        minted.vendorKeyId,
      );
      await quave.revoke!(at, userToken, minted.vendorKeyId);
      const paths = sb.requests('quave').map((r) => r.path.split('?')[0]);
      expect(new Set(paths)).toEqual(
        new Set(['/api/public/v1/mcp-keys', '/api/public/v1/mcp-key']),
      );
      expect(sb.requests('quave').every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    });
  }
});
