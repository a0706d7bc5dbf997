// The manifest checks on their own (no service): every problem found at once, each at its line
// and field, in words a user can act on; and the stdin secrets never echoed in an error.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VENDOR_ADAPTERS } from '../../src/main/core/vendors';
import type { VendorInfo } from '../../src/shared/contract';
import { loadManifest } from '../../src/cli/provision/manifest-load';
import { parseSecrets } from '../../src/cli/provision/secrets-input';

/** The vendors as `vendor.list` describes them, from the real adapters. */
const VENDORS: VendorInfo[] = Object.values(VENDOR_ADAPTERS).map((a) => ({
  id: a.id,
  displayName: a.displayName,
  defaults: { ...a.defaults, auth: a.defaultAuth },
  sandbox: false,
  scopes: a.scopes,
  defaultScopes: a.defaultScopes,
  capabilities: a.capabilities,
  guided: a.guided,
  serviceAccountNote: '',
}));

const at = (text: string) =>
  loadManifest(text, VENDORS).issues.map((i) => `${i.line}:${i.column} ${i.field}: ${i.message}`);

describe('manifest validation', () => {
  it('accepts a complete manifest', () => {
    const r = loadManifest(
      `version: 1
accounts:
  - { name: team, vendor: quave, serviceAccount: true }
  - { name: agents, vendor: specivo, role: Agent, projects: [billing] }
keys:
  - { ref: team/ci, scopes: [quave:read], securityLevel: strict, sessionDuration: 900, rotateEvery: 30 }
  - { ref: agents/claude, scopes: [mcp], rotateEvery: null }
connections:
  - { slug: ci, key: team/ci, transport: streamable-http }
clients:
  - { name: cursor, connection: ci, for: cursor }
`,
      VENDORS,
    );
    expect(r.issues).toEqual([]);
    expect(r.manifest.keys.map((k) => k.item.ref)).toEqual(['team/ci', 'agents/claude']);
  });

  it("accepts the README's example, as documented", async () => {
    const readme = await readFile(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const teams = readme.slice(readme.indexOf('## Teams: manifests and client setup'));
    const example = /```yaml\n([\s\S]*?)```/.exec(teams)?.[1] ?? '';
    const r = loadManifest(example, VENDORS);
    expect(r.issues).toEqual([]);
    expect(r.manifest.clients.map((c) => c.item.for)).toEqual(['cursor', 'claude-desktop']);
  });

  it('points a YAML syntax error at its line', () => {
    expect(at('accounts:\n  - name: team\n    vendor: [quave\n')).toEqual([
      expect.stringMatching(/^4:1 : /),
    ]);
  });

  it('names misspelt fields at the field itself, and missing ones at their item', () => {
    expect(
      at('accounts:\n  - name: team\n    vendr: quave\nkeys:\n  - scopes: [quave:read]\n'),
    ).toEqual([
      '2:5 accounts[0].vendor: Invalid option: expected one of "qyvo"|"quave"|"qwoty"|"specivo"|"custom"',
      '3:5 accounts[0].vendr: unknown field "vendr"',
      '5:5 keys[0].ref: is required',
    ]);
  });

  it('finds names used twice, dangling references and options the vendor lacks, all at once', () => {
    const issues = at(`accounts:
  - name: team
    vendor: qyvo
    credentialScopes: [mcp]
  - name: team
    vendor: qyvo
  - name: solo
    vendor: specivo
    serviceAccount: false
    role: Agent
keys:
  - ref: team/a
    securityLevel: strict
  - ref: nobody/b
connections:
  - slug: c
    key: team/zzz
clients:
  - name: x
    connection: c
`);
    expect(issues).toEqual([
      '4:23 accounts[0].credentialScopes: Qyvo has no key API, so its accounts hold no management credential',
      '5:11 accounts[1].name: "team" is declared twice (also accounts[0])',
      '9:21 accounts[2].serviceAccount: role and projects describe a service account; set serviceAccount: true',
      '13:20 keys[0].securityLevel: securityLevel is set when Keyway mints a key; Qyvo keys are made in its dashboard',
      '14:10 keys[1].ref: no account "nobody" in this manifest',
      '17:10 connections[0].key: no key "team/zzz" in this manifest',
    ]);
  });

  it('an empty file is an error, not "remove everything"', () => {
    expect(at('# nothing here\n')).toEqual([expect.stringMatching(/the manifest is empty/)]);
  });
});

describe('secrets on standard input', () => {
  it('reads credentials and pasted keys, skipping comments and blank lines', () => {
    const s = parseSecrets('# team\nteam=abc=def\n\nagents/claude = spv_x\n');
    expect([...s.credentials]).toEqual([['team', 'abc=def']]);
    expect([...s.keys]).toEqual([['agents/claude', 'spv_x']]);
  });

  it('names the line of a bad entry, never its value', () => {
    expect(() => parseSecrets('team=ok\nsupersecretvalue\n')).toThrow(
      'standard input, line 2: expected ACCOUNT=TOKEN or ACCOUNT/KEY=SECRET',
    );
    try {
      parseSecrets('bad name!=supersecretvalue\n');
    } catch (err) {
      expect((err as Error).message).not.toContain('supersecretvalue');
      expect((err as Error).message).toMatch(
        /line 1: "bad name!" is neither an account nor ACCOUNT\/KEY/,
      );
    }
    expect(() => parseSecrets('team=a\nteam=b\n')).toThrow('line 2: "team" is given twice');
  });
});
