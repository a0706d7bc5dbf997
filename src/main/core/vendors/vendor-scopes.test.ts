import { describe, expect, it } from 'vitest';
import { VENDOR_ADAPTERS, vendorAdapter } from './index';
import { VENDOR_IDS } from '../../../shared/domain';

describe('every adapter', () => {
  it.each(VENDOR_IDS)('%s is registered under its id with a coherent shape', (id) => {
    const a = vendorAdapter(id);
    expect(a.id).toBe(id);
    expect(VENDOR_ADAPTERS[id]).toBe(a);
    for (const s of a.defaultScopes) expect(a.scopes.map((x) => x.id)).toContain(s);
    for (const s of a.scopes) expect(s.description.length).toBeGreaterThan(10);
    // An API vendor has mint/revoke functions; a guided one has steps instead.
    expect('mint' in a).toBe(a.capabilities.mint);
    expect('revoke' in a).toBe(a.capabilities.revoke);
    expect('list' in a).toBe(a.capabilities.list);
    expect(a.guided === null).toBe(a.capabilities.mint);
  });
  it('puts the raw token on Quave and a Bearer prefix on the others', () => {
    expect(vendorAdapter('quave').defaultAuth).toEqual({ header: 'Authorization', prefix: '' });
    for (const id of ['qyvo', 'qwoty', 'specivo', 'custom'] as const) {
      expect(vendorAdapter(id).defaultAuth).toEqual({ header: 'Authorization', prefix: 'Bearer ' });
    }
  });
  it('uses the documented hosts as defaults', () => {
    expect(vendorAdapter('qyvo').defaults).toEqual({
      apiUrl: 'https://www.qyvo.io',
      mcpUrl: 'https://www.qyvo.io/mcp',
    });
    expect(vendorAdapter('quave').defaults.apiUrl).toBe('https://api.quave.cloud');
    expect(vendorAdapter('qwoty').defaults.apiUrl).toBe('https://qwoty.app');
  });
});

describe('Quave scope rules', () => {
  const quave = vendorAdapter('quave');
  it('always adds quave:read', () => {
    expect(quave.normalizeScopes([])).toEqual(['quave:read']);
    expect(quave.normalizeScopes(['quave:write:config', 'quave:read'])).toEqual([
      'quave:read',
      'quave:write:config',
    ]);
  });
  it('lets a regular user token (null) grant every known scope', () => {
    const checks = quave.checkScopes(['quave:read:secrets', 'quave:manage:mcp-keys'], null);
    expect(checks.every((c) => c.grantable)).toBe(true);
    expect(checks.map((c) => c.scope)).toEqual([
      'quave:read',
      'quave:read:secrets',
      'quave:manage:mcp-keys',
    ]);
  });
  it('explains, before any call, that an MCP key cannot grant scopes it does not hold', () => {
    const held = ['quave:read', 'quave:manage:mcp-keys', 'quave:read:secrets'];
    const checks = quave.checkScopes(['quave:write:config', 'quave:read:secrets'], held);
    expect(checks.find((c) => c.scope === 'quave:read:secrets')?.grantable).toBe(true);
    const denied = checks.find((c) => c.scope === 'quave:write:config');
    expect(denied?.grantable).toBe(false);
    expect(denied?.reason).toMatch(/does not hold quave:write:config.*never lets a key grant/);
  });
  it('refuses unknown scopes', () => {
    const [, unknown] = quave.checkScopes(['quave:admin'], null);
    expect(unknown).toEqual({
      scope: 'quave:admin',
      grantable: false,
      reason: '"quave:admin" is not a Quave scope',
    });
  });
  it('says an MCP-key credential needs quave:manage:mcp-keys and quave:read:secrets to mint', () => {
    expect(quave.checkCredential?.(null)).toEqual([]);
    const problems = quave.checkCredential?.(['quave:read']) ?? [];
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/without quave:manage:mcp-keys/);
    expect(problems[1]).toMatch(/without quave:read:secrets/);
    expect(
      quave.checkCredential?.(['quave:read', 'quave:manage:mcp-keys', 'quave:read:secrets']),
    ).toEqual([]);
  });
  it('warns about secrets and key management in what it grants', () => {
    expect(quave.scopeWarnings(['quave:read'])).toEqual([]);
    expect(quave.scopeWarnings(['quave:read', 'quave:read:secrets']).join()).toMatch(/decrypted/);
    expect(quave.scopeWarnings(['quave:nope']).join()).toMatch(/not a Quave scope/);
  });
});

describe('Specivo, Qyvo, Qwoty and custom scope rules', () => {
  it('Specivo warns that a key without mcp authenticates but MCP refuses it', () => {
    const specivo = vendorAdapter('specivo');
    expect(specivo.scopeWarnings(['mcp'])).toEqual([]);
    expect(specivo.scopeWarnings([])[0]).toMatch(/authenticates, but .*MCP server refuses it/);
  });
  it('Qyvo has only mcp: anything else is not grantable and warned', () => {
    const qyvo = vendorAdapter('qyvo');
    expect(qyvo.checkScopes(['mcp'], null)).toEqual([{ scope: 'mcp', grantable: true }]);
    expect(qyvo.checkScopes(['read'], null)[0]?.grantable).toBe(false);
    expect(qyvo.scopeWarnings([]).join()).toMatch(/refuses the token with 401/);
  });
  it('Qwoty keeps unknown permission labels with a warning', () => {
    const qwoty = vendorAdapter('qwoty');
    expect(qwoty.checkScopes(['invoices:read'], null)).toEqual([
      { scope: 'invoices:read', grantable: true },
    ]);
    expect(qwoty.scopeWarnings(['invoices:read']).join()).toMatch(/kept as a label/);
  });
  it('custom scopes are free-form labels, trimmed and de-duplicated', () => {
    const custom = vendorAdapter('custom');
    expect(custom.normalizeScopes([' team:a ', 'team:a', '', 'x'])).toEqual(['team:a', 'x']);
    expect(custom.scopeWarnings(['anything'])).toEqual([]);
  });
});

describe('guided steps', () => {
  it('follow the documents and move to the account host', () => {
    const qyvo = vendorAdapter('qyvo');
    expect(qyvo.guided?.createSteps).toContain('Open Settings → API Tokens');
    const ep = {
      apiUrl: 'http://127.0.0.1:4567',
      mcpUrl: 'http://127.0.0.1:4567/mcp',
      auth: qyvo.defaultAuth,
    };
    expect(qyvo.guidedFor?.(ep)?.dashboardUrl).toBe('http://127.0.0.1:4567/settings/api-tokens');
    const real = { ...ep, apiUrl: 'https://www.qyvo.io' };
    expect(qyvo.guidedFor?.(real)?.dashboardUrl).toBe('https://www.qyvo.io/settings/api-tokens');
    expect(vendorAdapter('specivo').guided?.dashboardUrl).toMatch(/\/my\/api-keys\/$/);
    expect(vendorAdapter('qwoty').guided?.createSteps.join()).toMatch(
      /Settings → Developer → API Tokens/,
    );
  });
});
