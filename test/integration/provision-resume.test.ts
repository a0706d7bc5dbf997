// A provision run killed half-way (SIGKILL after a few progress lines) and simply run again ends
// in the same state as an unbroken run: same accounts, keys, connections and clients, and no
// orphan key left live at the vendor.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEYWAY_BIN, tempDataDir } from '../support/keyway-process';
import { connectToRunning } from '../../src/cli/control-client';
import {
  sandboxKey,
  startSandboxKeyway,
  writeManifest,
  type ExportedManifest,
  type ProvisionJson,
  type SandboxKeyway,
  type VendorUrls,
} from '../fixtures/keyway-sandbox';

const KEYS = 12;
let kw: SandboxKeyway;
let unbroken: SandboxKeyway;
let manifest: string;
// Keyway keys a management credential in the keychain by account name alone (reported), and
// test files share one private keyring: this file's account has a name no other test uses.

function teamOf(q: VendorUrls): string {
  const keys = Array.from(
    { length: KEYS },
    (_, i) =>
      `  - ref: crew/agent-${i + 1}\n    scopes: [quave:read]\n    rotateEvery: ${10 + i}\n`,
  ).join('');
  const connections = [1, 2, 3, 4]
    .map((i) => `  - slug: agent-${i}\n    key: crew/agent-${i}\n`)
    .join('');
  const clients = [1, 2, 3, 4]
    .map((i) => `  - name: client-${i}\n    connection: agent-${i}\n`)
    .join('');
  return (
    `accounts:\n  - name: crew\n    vendor: quave\n    apiUrl: ${q.apiUrl}\n    mcpUrl: ${q.mcpUrl}\n` +
    `keys:\n${keys}connections:\n${connections}clients:\n${clients}`
  );
}

beforeAll(async () => {
  [kw, unbroken] = await Promise.all([startSandboxKeyway(), startSandboxKeyway([])]);
  const dir = await tempDataDir('keyway-resume-');
  // Both instances provision against the same sandbox Quave, as two users.
  manifest = await writeManifest(dir, 'team.yaml', teamOf(kw.vendors.quave));
});

afterAll(async () => {
  await Promise.all([kw?.stop(), unbroken?.stop()]);
});

/** Runs `keyway provision` and SIGKILLs it once `lines` progress lines have appeared. */
function provisionKilledAfter(dataDir: string, stdin: string, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [KEYWAY_BIN, 'provision', manifest, '--credentials-stdin'],
      {
        env: { ...process.env, KEYWAY_DATA_DIR: dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.split('\n').filter((l) => /^\[\s*\d+\/\d+\]/.test(l)).length >= lines)
        child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(stderr) : reject(new Error(`not killed: ${stderr}`)),
    );
    child.stdin.end(stdin);
  });
}

/** The killed CLI's last request may still be finishing in the service: wait until it has. */
async function settled(k: SandboxKeyway): Promise<void> {
  const { api } = await connectToRunning(k.dataDir);
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = (await api['audit.list']({})).length;
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the service did not settle');
}

async function liveQuaveKeys(q: VendorUrls, credential: string): Promise<string[]> {
  const res = await fetch(`${q.apiUrl}/api/public/v1/mcp-keys`, {
    headers: { authorization: credential },
  });
  const body = (await res.json()) as { mcpKeys: Array<{ name: string; enabled: boolean }> };
  return body.mcpKeys.filter((k) => k.enabled).map((k) => k.name);
}

it('a run killed half-way and run again ends like an unbroken run', async () => {
  const q = kw.vendors.quave;
  const jane = (await sandboxKey(q, { kind: 'user-token', user: 'jane' })).secret;
  const bob = (await sandboxKey(q, { kind: 'user-token', user: 'bob' })).secret;
  const total = 1 + KEYS + 4 + 4;

  const killed = await provisionKilledAfter(kw.dataDir, `crew=${jane}\n`, 7);
  expect(killed).toMatch(/^\[ 7\/21\] create key crew\/agent-6 ✓ \d+ ms$/m);
  expect(killed).not.toMatch(/\[21\/21\]/);
  await settled(kw);
  // Again, same file; the credential is in the keychain now, so no stdin is needed.
  const resumed = await kw.run(['provision', manifest, '--json']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const out = JSON.parse(resumed.stdout) as ProvisionJson;
  expect(out.summary.create).toBeLessThan(total);
  expect(out.summary.create).toBeGreaterThan(0);
  expect(out.summary.create + out.summary.leave).toBe(total);

  const straight = await unbroken.run(
    ['provision', manifest, '--credentials-stdin', '--json'],
    `crew=${bob}\n`,
  );
  expect(straight.code, straight.stderr).toBe(0);
  expect((JSON.parse(straight.stdout) as ProvisionJson).summary.create).toBe(total);

  const [a, b] = await Promise.all([kw.state(), unbroken.state()]);
  const withoutDemo = (m: ExportedManifest): ExportedManifest => ({
    ...m,
    accounts: m.accounts.filter((x) => x.name !== 'demo'),
    keys: m.keys.filter((x) => !x.ref.startsWith('demo/')),
    connections: m.connections.filter((x) => x.slug !== 'demo'),
    clients: m.clients.filter((x) => x.name !== 'demo-client'),
  });
  expect(withoutDemo(a)).toEqual(b);
  expect(a.keys.filter((k) => k.ref.startsWith('crew/'))).toHaveLength(KEYS);
  // No orphan: every key live at Quave for jane is one Keyway holds, exactly once.
  const live = await liveQuaveKeys(q, jane);
  expect(live).toHaveLength(KEYS);
  expect(new Set(live.map((n) => n.replace(/-\d{8}T\d{6}$/, ''))).size).toBe(KEYS);

  const again = await kw.run(['provision', manifest, '--json']);
  expect((JSON.parse(again.stdout) as ProvisionJson).steps).toEqual([]);
});
