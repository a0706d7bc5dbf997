// `keyway provision` against a real `keyway serve --sandbox`: a team manifest applied, applied
// again (nothing to do), pruned, refused when wrong, exported and imported on a second instance.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets, tempDataDir } from '../support/keyway-process';
import {
  namesOf,
  sandboxKey,
  sandboxKeys,
  startSandboxKeyway,
  writeManifest,
  type ExportedManifest,
  type ProvisionJson,
  type SandboxKeyway,
} from '../fixtures/keyway-sandbox';
import { brokenManifest, teamManifest } from '../fixtures/provision/team-manifest';
import { initializeThroughProxy } from '../support/mcp-initialize';

let kw: SandboxKeyway;
let dir: string;
let full: string;
let reduced: string;
let secrets: { team: string; specivo: string; qyvo: string };
let firstTokens: ProvisionJson['tokens'] = [];
const shownTokens = (): string[] => firstTokens.map((t) => t.token);

function stdinFor(s: typeof secrets): string {
  return `# management credential and pasted keys\nteam=${s.team}\nagents/claude=${s.specivo}\nops/support=${s.qyvo}\n`;
}

beforeAll(async () => {
  kw = await startSandboxKeyway();
  dir = await tempDataDir('keyway-manifest-');
  full = await writeManifest(dir, 'team.yaml', teamManifest({ vendors: kw.vendors }));
  reduced = await writeManifest(
    dir,
    'team-reduced.yaml',
    teamManifest({ vendors: kw.vendors, reduced: true }),
  );
  // jane's CLI token is the team's management credential (johndoe's belongs to the demo).
  secrets = {
    team: (await sandboxKey(kw.vendors.quave, { kind: 'user-token', user: 'jane' })).secret,
    specivo: (await sandboxKey(kw.vendors.specivo, { name: 'claude' })).secret,
    qyvo: (await sandboxKey(kw.vendors.qyvo, { name: 'support script' })).secret,
  };
});

afterAll(async () => {
  await kw?.stop();
});

describe('keyway provision', () => {
  it('applies 3 accounts, 6 keys and 4 clients, pruning what the file does not have', async () => {
    const r = await kw.run(
      ['provision', full, '--prune', '--credentials-stdin', '--json'],
      stdinFor(secrets),
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ProvisionJson;
    // The sandbox's ready-made demo is declared as it is: left alone.
    expect(out.summary).toEqual({ create: 17, change: 0, leave: 4, remove: 0, pending: 0 });
    expect(out.steps.every((s) => s.ok)).toBe(true);
    // Progress, one line per step, on stderr.
    const progress = r.stderr.split('\n').filter((l) => /^\[\s*\d+\/\d+\] .+ ✓ \d+ ms$/.test(l));
    expect(progress).toHaveLength(out.steps.length);
    expect(progress[0]).toMatch(/^\[ 1\/17\] create account team ✓ \d+ ms$/);
    expect(out.tokens.map((t) => t.client).sort()).toEqual([
      'cursor-ci',
      'desktop-agents',
      'ops-cli',
      'vscode-deploy',
    ]);
    for (const t of out.tokens) expect(t.token).toMatch(/^kwc_/);
    firstTokens = out.tokens;

    const exported = await kw.state();
    expect(namesOf(exported)).toEqual({
      accounts: ['agents', 'demo', 'ops', 'team'],
      keys: [
        'agents/claude',
        'demo/agent',
        'ops/support',
        'team/audit',
        'team/ci',
        'team/deploy',
        'team/reader',
      ],
      connections: ['agents', 'demo', 'ops', 'team-ci', 'team-deploy'],
      clients: ['cursor-ci', 'demo-client', 'desktop-agents', 'ops-cli', 'vscode-deploy'],
    });
    expect(exported.keys.find((k) => k.ref === 'team/ci')).toEqual({
      ref: 'team/ci',
      scopes: ['quave:read', 'quave:write:config'],
      securityLevel: 'strict',
      sessionDuration: 900,
      rotateEvery: 30,
    });
    expect(exported.accounts.find((a) => a.name === 'agents')).toMatchObject({
      serviceAccount: true,
      role: 'Agent',
      projects: ['billing', 'docs'],
    });
    // A client token works on its connection right away.
    const cursor = out.tokens.find((t) => t.client === 'cursor-ci')!;
    expect((await initializeThroughProxy(cursor.url, cursor.token)).status).toBe(200);
  });

  it('plans nothing the second time', async () => {
    const r = await kw.run(['provision', full, '--prune', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ProvisionJson;
    expect(out.summary).toEqual({ create: 0, change: 0, leave: 21, remove: 0, pending: 0 });
    expect(out.steps).toEqual([]);
    expect(out.tokens).toEqual([]);
    const text = await kw.run(['provision', full]);
    expect(text.stdout).toContain('Nothing to do: Keyway already matches the file.');
    expect(text.stderr).toBe('');
  });

  it('--prune removes exactly what was dropped from the file, revoking at the vendor', async () => {
    const before = await sandboxKeys(kw.vendors.quave);
    const dry = await kw.json<ProvisionJson>(['provision', reduced, '--prune', '--dry-run']);
    expect(dry.steps).toEqual([]);
    expect(dry.plan.filter((i) => i.action === 'remove')).toHaveLength(4);
    const r = await kw.run(['provision', reduced, '--prune', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ProvisionJson;
    const removed = out.plan.filter((i) => i.action === 'remove').map((i) => `${i.kind} ${i.name}`);
    expect(removed.sort()).toEqual([
      'client ops-cli',
      'client vscode-deploy',
      'connection team-deploy',
      'key team/deploy',
    ]);
    expect(out.summary).toMatchObject({ create: 0, change: 0, remove: 4 });
    expect(namesOf(await kw.state())).toEqual({
      accounts: ['agents', 'demo', 'ops', 'team'],
      keys: ['agents/claude', 'demo/agent', 'ops/support', 'team/audit', 'team/ci', 'team/reader'],
      connections: ['agents', 'demo', 'ops', 'team-ci'],
      clients: ['cursor-ci', 'demo-client', 'desktop-agents'],
    });
    // Exactly one Quave key died at the vendor: team/deploy's.
    const after = await sandboxKeys(kw.vendors.quave);
    const died = before.filter((b) => b.live && !after.find((a) => a.id === b.id)?.live);
    expect(died.map((k) => k.name)).toEqual([expect.stringMatching(/^keyway-team-deploy-/)]);
    // The pruned client's token stops working; the kept client's still works.
    const opsCliToken = firstTokens.find((t) => t.client === 'ops-cli')!;
    expect((await initializeThroughProxy(opsCliToken.url, opsCliToken.token)).status).toBe(401);
  });

  it('reports every error of a broken manifest with its line, and changes nothing', async () => {
    const before = await kw.state();
    const file = await writeManifest(dir, 'broken.yaml', brokenManifest(kw.vendors));
    const r = await kw.run(['provision', file, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as ProvisionJson;
    expect(out.ok).toBe(false);
    expect(out.errors?.map((e) => [e.line, e.field])).toEqual([
      [7, 'accounts[1].vendor'],
      [10, 'keys[0].scopes[1]'],
      [16, 'clients[0].connection'],
    ]);
    expect(out.errors?.[1]?.message).toMatch(/"quave:wrte" is not a Quave scope/);
    const text = await kw.run(['provision', file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    const lines = text.stderr.trim().split('\n');
    expect(lines.slice(0, 3).map((l) => l.replace(file, 'FILE'))).toEqual([
      expect.stringMatching(/^FILE:7:13: accounts\[1\]\.vendor: Invalid option/),
      expect.stringMatching(
        /^FILE:10:26: keys\[0\]\.scopes\[1\]: "quave:wrte" is not a Quave scope/,
      ),
      expect.stringMatching(
        /^FILE:16:17: clients\[0\]\.connection: no connection "nowhere" in this manifest$/,
      ),
    ]);
    expect(lines[3]).toBe(`3 problems in ${file}; nothing was changed`);
    expect(await kw.state()).toEqual(before);
  });

  it('exports no secret and no token, and a teammate reproduces the setup from the export', async () => {
    const yaml = await kw.run(['export']);
    expect(yaml.code).toBe(0);
    const exportFile = await writeManifest(dir, 'export.yaml', yaml.stdout);
    const minted = await revealMinted(kw.vendors.quave.apiUrl, secrets.team);
    expect(minted).toHaveLength(3); // team/ci, team/reader, team/audit
    const all = [
      kw.demo?.token ?? 'no demo token',
      secrets.team,
      secrets.specivo,
      secrets.qyvo,
      ...minted,
      ...shownTokens(),
    ];
    const jsonExport = await kw.run(['export', '--json']);
    expect(await findSecrets(dir, [yaml.stdout, jsonExport.stdout], all)).toEqual([]);
    expect(await findSecrets(kw.dataDir, [], all)).toEqual([]);

    // The teammate has the team's credentials, the demo's too (a fresh CLI token of its user).
    const demo = (await sandboxKey(kw.vendors.quave, { kind: 'user-token', user: 'johndoe' }))
      .secret;
    const mate = await startSandboxKeyway([]);
    try {
      const r = await mate.run(
        ['import', exportFile, '--credentials-stdin', '--json'],
        `${stdinFor(secrets)}demo=${demo}\n`,
      );
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as ProvisionJson;
      expect(out.tokens.map((t) => t.client).sort()).toEqual([
        'cursor-ci',
        'demo-client',
        'desktop-agents',
      ]);
      expect(await mate.state()).toEqual(JSON.parse(jsonExport.stdout) as ExportedManifest);
      expect(
        await findSecrets(mate.dataDir, [], [...all, ...out.tokens.map((t) => t.token)]),
      ).toEqual([]);
    } finally {
      await mate.stop();
    }
    expect(await readFile(exportFile, 'utf8')).toMatch(/^# Keyway configuration, exported/);
  });
});

/** The plaintext of every Quave MCP key of the credential's user (Quave can reveal them). */
async function revealMinted(apiUrl: string, credential: string): Promise<string[]> {
  const list = (await (
    await fetch(`${apiUrl}/api/public/v1/mcp-keys`, { headers: { authorization: credential } })
  ).json()) as { mcpKeys: Array<{ keyId: string }> };
  const out: string[] = [];
  for (const k of list.mcpKeys) {
    const res = await fetch(`${apiUrl}/api/public/v1/mcp-key/reveal?keyId=${k.keyId}`, {
      method: 'POST',
      headers: { authorization: credential },
    });
    if (res.ok) out.push(((await res.json()) as { rawKey: string }).rawKey);
  }
  return out;
}
