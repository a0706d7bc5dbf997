// Service accounts, vendor by vendor: Specivo's dedicated user with the Agent role (recorded,
// with the checklist and the missing-mcp warning), Quave's reduced-scope keys that never exceed
// the management credential, and Qyvo/Qwoty's "a dedicated token" limitation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/shared/domain';
import {
  sandboxKey,
  sandboxKeys,
  startSandboxKeyway,
  writeManifest,
  type ProvisionJson,
  type SandboxKeyway,
} from '../fixtures/keyway-sandbox';
import { tempDataDir } from '../support/keyway-process';

let kw: SandboxKeyway;
let dir: string;

beforeAll(async () => {
  kw = await startSandboxKeyway();
  dir = await tempDataDir('keyway-accounts-');
});
afterAll(async () => {
  await kw?.stop();
});

describe('Specivo: a dedicated user with the Agent role', () => {
  it('records role and projects, prints the checklist, and records the mcp scope the MCP server proved', async () => {
    const s = kw.vendors.specivo;
    const { secret } = await sandboxKey(s, { name: 'claude-code' });
    const file = await writeManifest(
      dir,
      'specivo.yaml',
      `accounts:\n  - name: agents\n    vendor: specivo\n    apiUrl: ${s.apiUrl}\n    mcpUrl: ${s.mcpUrl}\n` +
        `    role: Agent\n    projects: [billing]\n` +
        // Declared without the mcp scope, but the key has it: Specivo's MCP server accepting it
        // proves it, so Keyway records what the vendor proved instead of warning.
        `keys:\n  - ref: agents/claude\n    scopes: []\n  - ref: agents/triage\n`,
    );
    const r = await kw.run(
      ['provision', file, '--credentials-stdin', '--json'],
      `agents/claude=${secret}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ProvisionJson;
    expect(out.warnings.join('\n')).not.toMatch(/Without the mcp scope/);
    const keys = await kw.json<Array<{ ref: string; scopes: string[] }>>(['key', 'ls']);
    expect(keys.find((k) => k.ref === 'agents/claude')?.scopes).toContain('mcp');
    // The other key is made in Specivo's dashboard, as the service account, with mcp.
    const triage = out.pending.find((p) => p.name === 'agents/triage');
    expect(triage?.dashboardUrl).toBe(s.dashboardUrl);
    expect(triage?.steps?.join(' ')).toMatch(/dedicated service account.*Agent role.*mcp scope/);
    const accounts = await kw.json<Account[]>(['account', 'ls']);
    expect(accounts.find((a) => a.name === 'agents')).toMatchObject({
      serviceAccount: true,
      serviceAccountInfo: { role: 'Agent', projects: ['billing'] },
    });

    const checklist = await kw.run([
      'account',
      'service',
      'agents',
      '--role',
      'Agent',
      '--project',
      'billing',
      '--project',
      'docs',
    ]);
    expect(checklist.code, checklist.stderr).toBe(0);
    expect(checklist.stdout).toContain(
      'agents is a service account (role Agent; projects billing, docs)',
    );
    expect(checklist.stdout).toMatch(/1\. Create a separate Specivo user/);
    expect(checklist.stdout).toContain('the projects billing, docs with the Agent role');
    expect(checklist.stdout).toContain(`(${s.dashboardUrl}) and create a key with the mcp scope`);
    // The key's proven mcp scope leaves nothing to warn about.
    expect(checklist.stderr).not.toMatch(/Without the mcp scope/);
    const updated = await kw.json<Account[]>(['account', 'ls']);
    expect(updated.find((a) => a.name === 'agents')?.serviceAccountInfo).toEqual({
      role: 'Agent',
      projects: ['billing', 'docs'],
    });
  });
});

describe('Quave: a dedicated key with reduced scopes', () => {
  const CREDENTIAL_SCOPES = ['quave:read', 'quave:read:secrets', 'quave:manage:mcp-keys'];

  function manifest(keys: string): string {
    const q = kw.vendors.quave;
    return (
      `accounts:\n  - name: scoped\n    vendor: quave\n    apiUrl: ${q.apiUrl}\n    mcpUrl: ${q.mcpUrl}\n` +
      `    serviceAccount: true\n    credentialScopes: [${CREDENTIAL_SCOPES.join(', ')}]\n` +
      `keys:\n${keys}`
    );
  }

  it('never mints a key with a scope its management credential does not hold', async () => {
    // The team's credential is itself an MCP key that may manage keys, but not write config.
    const { secret } = await sandboxKey(kw.vendors.quave, {
      user: 'ci-bot',
      scopes: CREDENTIAL_SCOPES,
    });
    const stdin = `scoped=${secret}\n`;
    const greedy = await writeManifest(
      dir,
      'greedy.yaml',
      manifest('  - ref: scoped/agent\n    scopes: [quave:read, quave:write:config]\n'),
    );
    const before = await kw.json<Account[]>(['account', 'ls']);
    const refused = await kw.run(['provision', greedy, '--credentials-stdin'], stdin);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /greedy\.yaml:\d+:\d+: keys\[0\]\.scopes: quave:write:config: the management credential holds only/,
    );
    expect(refused.stderr).toContain('nothing was changed');
    expect(await kw.json<Account[]>(['account', 'ls'])).toEqual(before);

    const modest = await writeManifest(
      dir,
      'modest.yaml',
      manifest('  - ref: scoped/agent\n    scopes: [quave:read]\n'),
    );
    const ok = await kw.run(['provision', modest, '--credentials-stdin', '--json'], stdin);
    expect(ok.code, ok.stderr).toBe(0);
    const minted = (await sandboxKeys(kw.vendors.quave)).filter((k) =>
      k.name.startsWith('keyway-scoped-agent-'),
    );
    expect(minted.map((k) => k.scopes)).toEqual([['quave:read']]);

    // The account exists now: the service's own scope check refuses, before any call to Quave.
    const more = await writeManifest(
      dir,
      'more.yaml',
      manifest(
        '  - ref: scoped/agent\n    scopes: [quave:read]\n  - ref: scoped/writer\n    scopes: [quave:write:config]\n',
      ),
    );
    const again = await kw.run(['provision', more]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /more\.yaml:12:\d+: keys\[1\]\.scopes: .*does not hold quave:write:config/,
    );
  });
});

describe('Qyvo and Qwoty: no service users, a dedicated token', () => {
  it('says so, and the checklist is a dedicated, clearly named token', async () => {
    const w = kw.vendors.qwoty;
    const add = await kw.run([
      'account',
      'add',
      'billing-bot',
      '--vendor',
      'qwoty',
      '--api-url',
      w.apiUrl,
      '--mcp-url',
      w.mcpUrl,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const r = await kw.run(['account', 'service', 'billing-bot']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Qwoty has no separate service users');
    expect(r.stdout).toMatch(
      /1\. Qwoty has no separate service users: use a dedicated token per agent/,
    );
    expect(r.stdout).toContain(w.dashboardUrl);

    const y = kw.vendors.qyvo;
    await kw.run([
      'account',
      'add',
      'support-bot',
      '--vendor',
      'qyvo',
      '--api-url',
      y.apiUrl,
      '--mcp-url',
      y.mcpUrl,
    ]);
    const qyvo = await kw.run(['account', 'service', 'support-bot', '--json']);
    const body = JSON.parse(qyvo.stdout) as { note: string; checklist: string[]; account: Account };
    expect(body.note).toMatch(/^Qyvo has no service accounts or organization tokens/);
    expect(body.checklist[1]).toContain(y.dashboardUrl);
    expect(body.account.serviceAccount).toBe(true);
  });
});
