// `keyway provision` changing a running setup in place, against a real `keyway serve --sandbox`:
// an account's URL (its connections follow), a connection moved to another key (its clients keep
// their tokens), a client moved to another connection (a new token, the old one refused), a
// revoked client's name reused, and a management credential replaced from --credentials-stdin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToRunning } from '../../src/cli/control-client';
import type { KeywayApi } from '../../src/shared/contract';
import {
  sandboxKey,
  startSandboxKeyway,
  writeManifest,
  type ProvisionJson,
  type SandboxKeyway,
  type VendorUrls,
} from '../fixtures/keyway-sandbox';
import { moversManifest, type MoversOptions } from '../fixtures/provision/movers-manifest';
import { initializeThroughProxy } from '../support/mcp-initialize';
import { tempDataDir } from '../support/keyway-process';

/** `--json` plan items carry the field changes of a `change` line. */
type PlanJson = Omit<ProvisionJson, 'plan'> & {
  plan: Array<
    ProvisionJson['plan'][number] & {
      changes?: Array<{ field: string; from: unknown; to: unknown }>;
    }
  >;
};

let kw: SandboxKeyway;
let api: KeywayApi;
let q: VendorUrls;
let dir: string;
let jane: string;
let opts: MoversOptions;
const tokens = new Map<string, { url: string; token: string }>();
let fileNo = 0;

/** Applies the manifest for `opts` (plus `change`), which then become the current options. */
async function provision(
  change: Partial<MoversOptions>,
  extra: string[] = ['--json'],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string; file: string }> {
  const next = { ...opts, ...change };
  const file = await writeManifest(dir, `movers-${++fileNo}.yaml`, moversManifest(next));
  const args = ['provision', file, ...extra, ...(stdin ? ['--credentials-stdin'] : [])];
  const r = await kw.run(args, stdin);
  if (r.code === 0 && !extra.includes('--dry-run')) opts = next;
  return { ...r, file };
}

async function planNothing(): Promise<void> {
  const again = await provision({});
  expect(again.code, again.stderr).toBe(0);
  const out = JSON.parse(again.stdout) as ProvisionJson;
  expect(out.steps).toEqual([]);
  expect(out.summary).toMatchObject({ create: 0, change: 0, remove: 0 });
}

beforeAll(async () => {
  kw = await startSandboxKeyway();
  ({ api } = await connectToRunning(kw.dataDir));
  q = kw.vendors.quave;
  dir = await tempDataDir('keyway-changes-');
  jane = (await sandboxKey(q, { kind: 'user-token', user: 'jane' })).secret;
  opts = { quave: q };
  const first = await provision({}, ['--json'], `movers=${jane}\n`);
  expect(first.code, first.stderr).toBe(0);
  for (const t of (JSON.parse(first.stdout) as ProvisionJson).tokens) tokens.set(t.client, t);
});

afterAll(async () => {
  await kw?.stop();
});

describe('keyway provision changes a running setup', () => {
  it("changes an account's URL, and the connections that forward to it follow", async () => {
    const mcpUrl = `${q.mcpUrl}/v2`;
    const r = await provision({ mcpUrl });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PlanJson;
    const changed = out.plan.filter((i) => i.action === 'change');
    expect(changed.map((i) => [i.kind, i.name, i.changes?.map((c) => c.field)])).toEqual([
      ['account', 'movers', ['mcpUrl']],
      ['connection', 'movers-one', ['upstream']],
      ['connection', 'movers-two', ['upstream']],
    ]);
    expect(out.steps.map((s) => [s.label, s.ok])).toEqual([
      ['change account movers', true],
      ['change connection movers-one', true],
      ['change connection movers-two', true],
    ]);
    expect((await api['account.list']({})).find((a) => a.name === 'movers')?.mcpUrl).toBe(mcpUrl);
    // A request through the proxy now reaches the new URL.
    await fetch(`${new URL(q.apiUrl).origin}/__sandbox/requests`, { method: 'DELETE' });
    const x = tokens.get('movers-x')!;
    expect((await initializeThroughProxy(x.url, x.token)).status).toBe(200);
    const seen = (await (
      await fetch(`${new URL(q.apiUrl).origin}/__sandbox/requests`)
    ).json()) as Array<{ path: string }>;
    expect(seen.map((s) => s.path)).toContain(new URL(mcpUrl).pathname);
    await planNothing();
  });

  it('moves a connection to another key; its clients keep their tokens', async () => {
    const dry = await provision({ oneKey: 'movers/b' }, ['--json', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = (JSON.parse(dry.stdout) as PlanJson).plan.find((i) => i.name === 'movers-one');
    expect(plan).toMatchObject({
      action: 'change',
      kind: 'connection',
      changes: [{ field: 'key', from: 'movers/a', to: 'movers/b' }],
    });
    const still = (await api['connection.list']({})).find((c) => c.slug === 'movers-one');
    expect(still?.key).toBe('movers/a');

    const r = await provision({ oneKey: 'movers/b' }, []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('~ connection movers-one — its clients keep their tokens');
    expect(r.stdout).toContain('key: movers/a → movers/b');
    expect(r.stderr).toMatch(/^\[1\/1\] change connection movers-one ✓ \d+ ms$/m);
    // The same client token, now forwarded with movers/b's key.
    const x = tokens.get('movers-x')!;
    expect((await initializeThroughProxy(x.url, x.token)).status).toBe(200);
    const b = (await api['key.list']({})).find((k) => k.ref === 'movers/b');
    const stats = await api['connection.stats']({});
    expect(stats.connections['movers-one']?.keyVersion).toBe(b?.version?.id);
    await planNothing();
  });

  it('moves a client to another connection: a new token shown once, the old one refused', async () => {
    const old = tokens.get('movers-y')!;
    expect((await initializeThroughProxy(old.url, old.token)).status).toBe(200);
    const r = await provision({ yConnection: 'movers-two' }, []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/~ client movers-y — .*its new token is shown once/);
    expect(r.stdout).toContain('connection: movers-one → movers-two');
    expect(r.stderr).toMatch(/^\[1\/2\] remove client movers-y ✓ \d+ ms$/m);
    expect(r.stderr).toMatch(/^\[2\/2\] create client movers-y ✓ \d+ ms$/m);
    const shown = [
      ...r.stdout.matchAll(/^client movers-y \(movers-two\) token, shown once: (\S+)$/gm),
    ];
    expect(shown).toHaveLength(1);
    const token = shown[0]![1]!;
    expect(token).toMatch(/^kwc_/);
    expect(token).not.toBe(old.token);

    const two = (await api['connection.list']({})).find((c) => c.slug === 'movers-two')!;
    expect((await initializeThroughProxy(two.url, token)).status).toBe(200);
    expect((await initializeThroughProxy(old.url, old.token)).status).toBe(401);
    expect((await initializeThroughProxy(two.url, old.token)).status).toBe(401);
    expect((await api['client.list']({})).find((c) => c.name === 'movers-y')).toMatchObject({
      connection: 'movers-two',
      revokedAt: null,
    });
    tokens.set('movers-y', { url: two.url, token });
    await planNothing();
  });

  it("reuses a revoked client's name, with a new token", async () => {
    const x = tokens.get('movers-x')!;
    expect((await kw.run(['client', 'revoke', 'movers-x'])).code).toBe(0);
    const r = await provision({});
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ProvisionJson;
    expect(out.plan.find((i) => i.name === 'movers-x')).toMatchObject({ action: 'create' });
    expect(out.tokens.map((t) => t.client)).toEqual(['movers-x']);
    const fresh = out.tokens[0]!;
    expect((await initializeThroughProxy(fresh.url, fresh.token)).status).toBe(200);
    expect((await initializeThroughProxy(x.url, x.token)).status).toBe(401);
    await planNothing();
  });

  it('replaces the management credential from --credentials-stdin; keys are minted with it', async () => {
    const bob = (await sandboxKey(q, { kind: 'user-token', user: 'bob' })).secret;
    const r = await provision({ keyC: true }, [], `movers=${bob}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '~ account movers — quave (credential: in the keychain → replaced from stdin)',
    );
    expect(r.stderr).toMatch(/^\[1\/2\] replace credential of account movers ✓ \d+ ms$/m);
    expect(r.stderr).toMatch(/^\[2\/2\] create key movers\/c ✓ \d+ ms$/m);
    expect(`${r.stdout}${r.stderr}`).not.toContain(bob);
    // movers/c was minted as bob, with the new credential; jane's keys are the first two.
    expect((await liveQuaveKeys(bob)).filter((n) => n.startsWith('keyway-movers-'))).toEqual([
      expect.stringMatching(/^keyway-movers-c-/),
    ]);
    expect((await liveQuaveKeys(jane)).filter((n) => n.startsWith('keyway-movers-c'))).toEqual([]);
    // Without stdin the stored credential is used as it is: nothing to do.
    await planNothing();

    // Other credential scopes describe another credential: without it, a clear error.
    const scoped = await provision({ credentialScopes: ['quave:read', 'quave:manage:mcp-keys'] });
    expect(scoped.code).toBe(1);
    expect(scoped.stderr).toMatch(
      /accounts\[0\]\.credentialScopes: the credential of "movers" is recorded with scopes null; to record other scopes, pipe the credential that holds them as "movers=TOKEN" to --credentials-stdin/,
    );
  });

  it("still cannot change a key's scopes in place, and says what to do instead", async () => {
    const before = await kw.state();
    const r = await provision({ aScopes: ['quave:read', 'quave:write:config'] }, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /keys\[0\]\.scopes: key "movers\/a" has scopes quave:read, the file asks for quave:read, quave:write:config; Keyway cannot change that on a live key, and rotating is not enough/,
    );
    expect(r.stderr).toContain('keyway key revoke movers/a');
    expect(r.stderr).toContain('or keep the old value in the file');
    expect(await kw.state()).toEqual(before);
  });
});

/** The names of the live Quave MCP keys of the credential's user. */
async function liveQuaveKeys(credential: string): Promise<string[]> {
  const res = await fetch(`${q.apiUrl}/api/public/v1/mcp-keys`, {
    headers: { authorization: credential },
  });
  const body = (await res.json()) as { mcpKeys: Array<{ name: string; enabled: boolean }> };
  return body.mcpKeys.filter((k) => k.enabled).map((k) => k.name);
}
