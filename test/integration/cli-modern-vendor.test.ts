// A server that speaks only MCP 2026-07-28 (no `initialize` at all), driven the way a user does
// it: the real CLI against a running `keyway serve`, the key in the OS keychain. The key check
// must use `server/discover` (vendors/mcp-discover.ts): a build that only knows `initialize`
// cannot store the key, cannot verify the rotated one and cannot see the old one refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startModernVendor } from '../../src/sandbox/modern/modern-vendor';
import type { ModernVendor } from '../../src/sandbox/modern/modern-vendor';
import type { KeyChange, KeyView } from '../../src/shared/contract';
import { findSecrets, runKeyway, startServe, tempDataDir } from '../support/keyway-process';
import type { ServeProcess } from '../support/keyway-process';
import { connectModernClient } from '../support/modern-client';
import { modernPost } from '../support/modern-request';

let vendor: ModernVendor;
let serve: ServeProcess;
let dataDir: string;
const outputs: string[] = [];

async function keyway(args: string[], stdin?: string) {
  const r = await runKeyway(args, { dataDir, stdin });
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  vendor = await startModernVendor('modern');
  dataDir = await tempDataDir('keyway-cli-modern-');
  serve = await startServe({ dataDir });
});
afterAll(async () => {
  await serve?.stop();
  await vendor?.close();
});

/** What the vendor answers a `server/discover` made straight with this key. */
async function vendorStatus(key: string): Promise<number> {
  const res = await modernPost(vendor.url, key, 'server/discover');
  await res.body?.cancel();
  return res.status;
}

it('adds and rotates a key for a 2026-07-28-only server; a 2026 client calls a tool with the new key; the old one is refused at the vendor', async () => {
  const account = await keyway([
    'account',
    'add',
    'mdn',
    '--vendor',
    'custom',
    '--mcp-url',
    vendor.url,
  ]);
  expect(account.code, account.stderr).toBe(0);

  // key add: checked with server/discover, which this server answers (it refuses initialize).
  const first = vendor.mint();
  const added = await keyway(['key', 'add', 'mdn/agent', '--secret-stdin', '--json'], first);
  expect(added.code, added.stderr).toBe(0);
  const addChange = JSON.parse(added.stdout) as KeyChange;
  expect(addChange.steps.find((s) => s.step === 'verify')).toMatchObject({ ok: true });
  expect(vendor.methodsSeen.filter((m, i) => vendor.keysSeen[i] === first)).toContain(
    'server/discover',
  );

  const conn = await keyway(['connection', 'add', 'mdn', '--key', 'mdn/agent', '--json']);
  expect(conn.code, conn.stderr).toBe(0);
  const { url } = JSON.parse(conn.stdout) as { url: string };
  const cl = await keyway(['client', 'add', 'agent-1', '--connection', 'mdn', '--json']);
  expect(cl.code, cl.stderr).toBe(0);
  const { token } = JSON.parse(cl.stdout) as { token: string };

  // key rotate: the new key is verified with server/discover, swapped in, and the user is asked
  // to revoke the old one at the server.
  const second = vendor.mint();
  const rotated = await keyway(['key', 'rotate', 'mdn/agent', '--secret-stdin', '--json'], second);
  expect(rotated.code, rotated.stderr).toBe(0);
  const change = JSON.parse(rotated.stdout) as KeyChange;
  expect(change.steps.map((s) => [s.step, s.ok])).toEqual([
    ['store', true],
    ['verify', true],
    ['swap', true],
    ['drain', true],
    ['revoke', true],
  ]);
  expect(change.warnings.join(' ')).toMatch(/revoke the old key/i);

  // "Done" too early: the server still accepts the old key (seen with server/discover).
  const early = await keyway(['key', 'rotate', 'mdn/agent', '--json']);
  expect(JSON.parse(early.stdout)).toMatchObject({ done: false });
  // Revoked at the vendor: Keyway sees it refused, forgets it, and the rotation is complete.
  vendor.revoke(first);
  expect(await vendorStatus(first)).toBe(401);
  const confirmed = await keyway(['key', 'rotate', 'mdn/agent', '--json']);
  expect(JSON.parse(confirmed.stdout)).toEqual({ ref: 'mdn/agent', done: true, rotation: null });
  const ls = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
  const states = ls.find((k) => k.ref === 'mdn/agent')!.versions.map((v) => v.state);
  expect(states.sort()).toEqual(['active', 'revoked']);

  // A real 2026 client through the proxy: its calls reach the server with the new key only.
  const before = vendor.keysSeen.length;
  const client = await connectModernClient(url, token);
  try {
    expect(client.getProtocolEra()).toBe('modern');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'after rotation' } });
    expect(result.content).toEqual([{ type: 'text', text: 'after rotation' }]);
  } finally {
    await client.close();
  }
  const used = new Set(vendor.keysSeen.slice(before));
  expect(used).toEqual(new Set([second]));
  expect(await vendorStatus(second)).toBe(200);

  // Neither key ever left the keychain: not in the data directory, not in any CLI output.
  expect(await findSecrets(dataDir, outputs, [first, second])).toEqual([]);
}, 120_000);
