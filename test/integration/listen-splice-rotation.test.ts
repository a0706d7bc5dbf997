// A real rotation while a 2026-07-28 client holds a `subscriptions/listen` stream through Keyway:
// `keyway serve` on the real keychain, a Quave service account (the sandbox mints and revokes its
// keys), its MCP URL a 2026-07-28-only SDK v2 server that accepts exactly the keys live at that
// Quave, and a real SDK v2 client. The server publishes a numbered change every 15 ms before,
// during and after the rotation; the client must get each one once, on the one stream it opened.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { activeVersion, keyVersions, keyway, setUpQuave } from '../support/rotation-harness';
import type { ListenVendor } from '../support/listen-vendor';
import { startListenVendor } from '../support/listen-vendor';
import { connectListenClient } from '../support/listen-client';

// Several CLI processes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

interface RotateOutput {
  steps: Array<{ step: string; ok: boolean; ms: number; message?: string }>;
}

let sb: Sandbox;
let vendor: ListenVendor;
let dataDir: string;
let serve: ServeProcess;
let setup: { ref: string; url: string; token: string };

beforeAll(async () => {
  sb = await startSandbox();
  vendor = await startListenVendor({
    isLive: (key) => sb.dashboard.isLive('quave', key),
    // Quave reads its key from `Authorization` as it is, no `Bearer`.
    keyOf: (req) => req.headers.authorization,
  });
  dataDir = await tempDataDir('keyway-listen-splice-');
  serve = await startServe({ dataDir, timeoutMs: 60_000 });
  setup = await setUpQuave(dataDir, { apiUrl: sb.vendors.quave.apiUrl, mcpUrl: vendor.url });
});

afterAll(async () => {
  await serve?.stop();
  await vendor?.close();
  await sb?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('rotates while a 2026 client listens: the stream moves to the new key, nothing lost, old key revoked after', async () => {
  const before = activeVersion(await keyVersions(dataDir, setup.ref));
  const lc = await connectListenClient(setup.url, setup.token);
  const sub = await lc.client.listen({ toolsListChanged: true });
  let closed: string | undefined;
  void sub.closed.then((why) => (closed = why));
  let seq = 0;
  vendor.publish(++seq);
  await until(() => lc.seqs.length === 1);
  const ticker = setInterval(() => vendor.publish(++seq), 15);

  const rotated = await keyway<RotateOutput>(dataDir, ['key', 'rotate', setup.ref, '--json']);
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(ticker);
  const last = seq;
  const drain = rotated.steps.find((s) => s.step === 'drain');
  console.log(`listen splice under keyway serve: drain ${drain?.ms} ms, ${last} changes sent`);

  // The drain ended in well under its 30 s bound, with nothing left on the old key.
  expect(drain).toMatchObject({ ok: true });
  expect(drain?.message).toBeUndefined();
  expect(drain!.ms).toBeLessThan(5_000);
  expect(rotated.steps.find((s) => s.step === 'revoke')).toMatchObject({ ok: true });
  const versions = await keyVersions(dataDir, setup.ref);
  const now = activeVersion(versions);
  expect(now.id).not.toBe(before.id);
  expect(versions.find((v) => v.id === before.id)?.state).toBe('revoked');

  // Every change reached the client once, on its one stream and subscription.
  await until(() => lc.seqs.length >= last);
  await new Promise((r) => setTimeout(r, 100));
  expect(lc.seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  expect(lc.refetches).toBe(0);
  expect(closed).toBeUndefined();
  expect(lc.listenPosts()).toBe(1);
  expect([...lc.subscriptionIds]).toEqual(['listen:0']);

  // The vendor saw the old key's stream end while that key was still live, i.e. before the
  // revoke; the one open stream is on the new key, and the old key is now refused.
  const [old, moved] = vendor.listens;
  expect(old?.liveAtEnd).toBe(true);
  expect(old?.key).not.toBe(moved?.key);
  expect(moved?.endedAt).toBeUndefined();
  expect(sb.dashboard.isLive('quave', old!.key)).toBe(false);
  expect(sb.dashboard.isLive('quave', moved!.key)).toBe(true);
  expect(vendor.open()).toBe(1);

  // And it keeps flowing on the new key.
  vendor.publish(++seq);
  await until(() => lc.seqs.length === seq);
  await sub.close();
  await lc.close();
});

it('a vendor that never acknowledges the new listen: the old stream ends at the drain, the client is told to refetch', async () => {
  const lc = await connectListenClient(setup.url, setup.token);
  const sub = await lc.client.listen({ toolsListChanged: true });
  const inUse = vendor.listens.at(-1)!.key;
  const from = vendor.listens.length;
  vendor.hold = (key) => key !== inUse;
  const rotated = await keyway<RotateOutput>(dataDir, ['key', 'rotate', setup.ref, '--json']);
  vendor.hold = () => false;
  const drain = rotated.steps.find((s) => s.step === 'drain');
  console.log(`listen splice, never acknowledged, under keyway serve: drain ${drain?.ms} ms`);
  // Ended at the acknowledgment's 5 s bound, not the drain's 30 s; nothing left on the old key.
  expect(drain?.message).toBeUndefined();
  expect(drain!.ms).toBeGreaterThan(4_500);
  expect(drain!.ms).toBeLessThan(15_000);
  expect(await sub.closed).toBe('remote');
  expect(lc.refetches).toBe(1);
  await until(() => vendor.open() === 0);
  const [old, held] = vendor.listens.slice(from - 1);
  expect(old).toMatchObject({ key: inUse, liveAtEnd: true });
  expect(held).toMatchObject({ held: true });
  await lc.close();
});

it('a client that leaves mid-splice leaves nothing behind: the next rotation drains at once', async () => {
  const lc = await connectListenClient(setup.url, setup.token);
  await lc.client.listen({ toolsListChanged: true });
  const inUse = vendor.listens.at(-1)!.key;
  const from = vendor.listens.length;
  vendor.hold = (key) => key !== inUse;
  const rotating = keyway<RotateOutput>(dataDir, ['key', 'rotate', setup.ref, '--json']);
  // The new listen stream is at the vendor, not acknowledged: the client goes away.
  await until(() => vendor.listens.length > from);
  lc.abort();
  const rotated = await rotating;
  vendor.hold = () => false;
  const drain = rotated.steps.find((s) => s.step === 'drain');
  expect(drain?.message).toBeUndefined();
  expect(drain!.ms).toBeLessThan(4_000);
  // No upstream stream is left, on either key...
  await until(() => vendor.open() === 0);
  // ...and no request holds the key the splice had opened with: the next drain ends at once.
  const again = await keyway<RotateOutput>(dataDir, ['key', 'rotate', setup.ref, '--json']);
  const next = again.steps.find((s) => s.step === 'drain');
  expect(next?.message).toBeUndefined();
  expect(next!.ms).toBeLessThan(1_000);
  await lc.close().catch(() => undefined);
});

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
