import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import type { KeyChange, KeyView } from '../../src/shared/contract';
import {
  findSecrets,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';
import { dashboardKey, dashboardKeys, type ReadyLine } from '../support/sandbox-admin';

let serve: ServeProcess;
let dataDir: string;
let vendors: NonNullable<ReadyLine['sandbox']>['vendors'];
const secrets: string[] = [];

async function keyway(args: string[], stdin?: string) {
  return runKeyway(args, { dataDir, stdin });
}

beforeAll(async () => {
  dataDir = await tempDataDir('keyway-cli-vendors-');
  serve = await startServe({ dataDir, args: ['--sandbox'] });
  const ready = JSON.parse(serve.output().stdout.split('\n')[0]!) as ReadyLine;
  vendors = ready.sandbox!.vendors;
  for (const v of ['qyvo', 'qwoty', 'specivo'] as const) {
    const r = await keyway([
      'account',
      'add',
      v,
      '--vendor',
      v,
      '--api-url',
      vendors[v].apiUrl,
      '--mcp-url',
      vendors[v].mcpUrl,
    ]);
    expect(r.code, r.stderr).toBe(0);
  }
});
afterAll(async () => {
  await serve.stop();
});

describe('keyway CLI against the sandbox vendors', () => {
  it('creates a Quave key with chosen scopes, lists it, revokes it: gone at the vendor and from the keychain', async () => {
    const cred = await dashboardKey(vendors.quave.apiUrl, { kind: 'user-token' });
    secrets.push(cred.secret);
    const acct = await keyway(
      [
        'account',
        'add',
        'team',
        '--vendor',
        'quave',
        '--api-url',
        vendors.quave.apiUrl,
        '--mcp-url',
        vendors.quave.mcpUrl,
        '--credential-stdin',
      ],
      cred.secret,
    );
    expect(acct.code, acct.stderr).toBe(0);

    const created = await keyway([
      'key',
      'create',
      'team/ci',
      '--scope',
      'quave:write:config',
      '--security-level',
      'strict',
      '--session-duration',
      '900',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const change = JSON.parse(created.stdout) as KeyChange;
    expect(change.steps.map((s) => s.step)).toEqual(['mint', 'store', 'verify', 'mcp']);
    expect(change.steps.every((s) => s.ok)).toBe(true);

    const atVendor = (await dashboardKeys(vendors.quave.apiUrl)).find(
      (k) => k.id === change.version.vendorKeyId,
    );
    expect(atVendor).toMatchObject({ live: true });
    // quave:read is always added, by Quave and therefore by Keyway.
    expect([...atVendor!.scopes].sort()).toEqual(['quave:read', 'quave:write:config']);

    const ls = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
    const listed = ls.find((k) => k.ref === 'team/ci')!;
    expect(listed).toMatchObject({
      vendor: 'quave',
      options: { securityLevel: 'strict', sessionDuration: 900 },
    });
    expect([...listed.scopes].sort()).toEqual(['quave:read', 'quave:write:config']);
    const keychain = new OsKeychain();
    const secret = await keychain.get(secretNames.keyVersion(change.version.id));
    expect(secret).toBeTruthy();
    secrets.push(secret!);

    const revoked = await keyway(['key', 'revoke', 'team/ci', '--json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(
      (await dashboardKeys(vendors.quave.apiUrl)).find((k) => k.id === change.version.vendorKeyId)
        ?.live ?? false,
    ).toBe(false);
    expect(await keychain.get(secretNames.keyVersion(change.version.id))).toBeUndefined();
    const after = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
    expect(
      after.find((k) => k.ref === 'team/ci')!.versions.every((v) => v.state === 'revoked'),
    ).toBe(true);
  });

  it('refuses, before any call, a Quave scope the management credential cannot grant', async () => {
    const scoped = await dashboardKey(vendors.quave.apiUrl, {
      scopes: ['quave:read', 'quave:read:secrets', 'quave:manage:mcp-keys'],
    });
    secrets.push(scoped.secret);
    const acct = await keyway(
      [
        'account',
        'add',
        'scoped',
        '--vendor',
        'quave',
        '--api-url',
        vendors.quave.apiUrl,
        '--mcp-url',
        vendors.quave.mcpUrl,
        '--credential-stdin',
        '--credential-scope',
        'quave:read',
        '--credential-scope',
        'quave:read:secrets',
        '--credential-scope',
        'quave:manage:mcp-keys',
      ],
      scoped.secret,
    );
    expect(acct.code, acct.stderr).toBe(0);
    const before = (await dashboardKeys(vendors.quave.apiUrl)).length;
    const r = await keyway(['key', 'create', 'scoped/escalate', '--scope', 'quave:write:config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/quave:write:config/);
    expect((await dashboardKeys(vendors.quave.apiUrl)).length).toBe(before);
  });

  const cases = [
    // Qyvo's format is only "typically" documented: a short token is warned about, then Qyvo refuses it.
    { vendor: 'qyvo', bad: 'abc123', badReason: /Qyvo refused the token \(401/ },
    { vendor: 'qwoty', bad: 'not-a-qwoty-token', badReason: /qwt_prod_/ },
    { vendor: 'specivo', bad: 'spv_' + 'x'.repeat(40), badReason: /Specivo|key/ },
  ] as const;

  for (const c of cases) {
    it(`imports a ${c.vendor} dashboard key after verifying it; refuses a bad one with the vendor's reason`, async () => {
      const good = await dashboardKey(vendors[c.vendor].apiUrl, { name: 'agent' });
      secrets.push(good.secret);
      const ok = await keyway(
        ['key', 'add', `${c.vendor}/agent`, '--secret-stdin', '--json'],
        good.secret,
      );
      expect(ok.code, ok.stderr).toBe(0);
      expect((JSON.parse(ok.stdout) as KeyChange).steps.map((s) => s.step)).toEqual([
        'check',
        'verify',
        'mcp',
        'store',
      ]);

      const bad = await keyway(['key', 'add', `${c.vendor}/bad`, '--secret-stdin'], c.bad);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(c.badReason);
      expect(bad.stderr).not.toMatch(/key\.add|field "/);
      expect(bad.stderr).not.toContain(c.bad.slice(4));
      const ls = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
      expect(ls.some((k) => k.ref === `${c.vendor}/bad`)).toBe(false);
    });
  }

  it('records the scopes the vendor proved (Qyvo: mcp, its only scope) and does not warn they are missing', async () => {
    for (const v of ['qyvo', 'specivo'] as const) {
      const good = await dashboardKey(vendors[v].apiUrl, { name: 'proved' });
      secrets.push(good.secret);
      const r = await keyway(
        ['key', 'add', `${v}/proved`, '--secret-stdin', '--json'],
        good.secret,
      );
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as KeyChange).warnings.join(), v).not.toMatch(/mcp scope/);
      const ls = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
      expect(ls.find((k) => k.ref === `${v}/proved`)?.scopes, v).toEqual(['mcp']);
    }
    const table = (await keyway(['key', 'ls'])).stdout;
    expect(table).toMatch(/qyvo\/proved\s+qyvo\s+mcp\s/);
  });

  it('records the Qwoty permission its verify call proved (200 from GET /api/payment-terms), and only that', async () => {
    const reads = await dashboardKey(vendors.qwoty.apiUrl, {
      name: 'reads-terms',
      scopes: ['quotes:read', 'payment-terms:read'],
    });
    secrets.push(reads.secret);
    const r = await keyway(
      ['key', 'add', 'qwoty/proved', '--secret-stdin', '--json'],
      reads.secret,
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as KeyChange).warnings.join()).not.toMatch(/payment terms/);
    // A token Qwoty forbids that read (403) proves nothing: nothing recorded, the warning stays.
    const other = await dashboardKey(vendors.qwoty.apiUrl, {
      name: 'quotes',
      scopes: ['quotes:read'],
    });
    secrets.push(other.secret);
    const o = await keyway(
      ['key', 'add', 'qwoty/quotes', '--secret-stdin', '--json'],
      other.secret,
    );
    expect(o.code, o.stderr).toBe(0);
    expect((JSON.parse(o.stdout) as KeyChange).warnings.join()).toMatch(/payment terms/);
    const ls = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
    expect(ls.find((k) => k.ref === 'qwoty/proved')?.scopes).toEqual(['payment-terms:read']);
    expect(ls.find((k) => k.ref === 'qwoty/quotes')?.scopes).toEqual([]);
    expect((await keyway(['key', 'ls'])).stdout).toMatch(
      /qwoty\/proved\s+qwoty\s+payment-terms:read\s/,
    );
  });

  it('a well-formed key the vendor refuses is not stored, and says why in the vendor terms', async () => {
    const revoked = await dashboardKey(vendors.qyvo.apiUrl, { name: 'old' });
    await fetch(`${new URL(vendors.qyvo.apiUrl).origin}/__sandbox/keys/${revoked.id}`, {
      method: 'DELETE',
    });
    const r = await keyway(['key', 'add', 'qyvo/old', '--secret-stdin'], revoked.secret);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Qyvo/);
    expect(r.stderr).toMatch(/401|Unauthenticated|revoked/i);

    const noMcp = await dashboardKey(vendors.specivo.apiUrl, { name: 'no-mcp', scopes: [] });
    const s = await keyway(['key', 'add', 'specivo/no-mcp', '--secret-stdin'], noMcp.secret);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/mcp scope/);

    const nows = await dashboardKey(vendors.qyvo.apiUrl, { name: 'nows', workspace: null });
    const w = await keyway(['key', 'add', 'qyvo/nows', '--secret-stdin'], nows.secret);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/no workspace/i);
  });

  it('never wrote a vendor secret to the data directory or the service output', async () => {
    const out = serve.output();
    expect(await findSecrets(dataDir, [out.stdout, out.stderr], secrets)).toEqual([]);
  });
});
