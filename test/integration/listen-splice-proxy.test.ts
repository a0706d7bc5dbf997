// A 2026-07-28 client's `subscriptions/listen` stream through the proxy (the in-process harness:
// a real proxy over loopback, a real SDK v2 server and client) across a key swap: moved onto the
// new key at the drain, nothing lost or doubled; a vendor that never acknowledges; a client that
// leaves mid-splice.
import { afterEach, expect, it } from 'vitest';
import type { TestProxy } from '../support/mcp-upstream';
import { MemoryBackend, startProxy } from '../support/mcp-upstream';
import type { ListenVendor } from '../support/listen-vendor';
import { startListenVendor } from '../support/listen-vendor';
import type { ListenClient } from '../support/listen-client';
import { connectListenClient } from '../support/listen-client';

const TOKEN = 'token-listen-abcdefgh';
let vendor: ListenVendor | undefined;
let px: TestProxy | undefined;
let lc: ListenClient | undefined;

afterEach(async () => {
  await lc?.close().catch(() => undefined);
  await px?.close();
  await vendor?.close();
  lc = px = vendor = undefined;
});

async function setup() {
  const live = new Set(['key-one', 'key-two']);
  vendor = await startListenVendor({
    isLive: (k) => live.has(k),
    keyOf: (req) => req.headers.authorization?.replace(/^Bearer /, ''),
  });
  const backend = new MemoryBackend();
  backend.addRoute('modern', vendor.url, { versionId: 'v1', secret: 'key-one' });
  backend.tokens.set(TOKEN, { client: 'agent', slug: 'modern' });
  px = await startProxy(backend);
  lc = await connectListenClient(px.url('modern'), TOKEN);
  const sub = await lc.client.listen({ toolsListChanged: true });
  return { vendor, px, backend, lc, sub, live };
}

it('moves the listen stream onto the new key at the drain: one stream, nothing lost or doubled', async () => {
  const { vendor, px, backend, lc, sub } = await setup();
  let closed: string | undefined;
  void sub.closed.then((why) => (closed = why));
  let seq = 0;
  vendor.publish(++seq);
  await until(() => lc.seqs.length === 1);
  const ticker = setInterval(() => vendor.publish(++seq), 10);
  await new Promise((r) => setTimeout(r, 100));
  backend.keys.set('modern', { versionId: 'v2', secret: 'key-two' });
  const t0 = performance.now();
  const drained = await px.proxy.drain('v1', 30_000);
  const drainMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  clearInterval(ticker);
  const last = seq;
  console.log(`listen splice (in-process): drain ${drainMs.toFixed(0)} ms, ${last} changes`);
  expect(drained).toEqual({ drained: true, inFlight: 0 });
  expect(drainMs).toBeLessThan(5_000);
  await until(() => lc.seqs.length >= last);
  await new Promise((r) => setTimeout(r, 100));
  expect(lc.seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1).sort((a, b) => a - b));
  expect(closed).toBeUndefined();
  expect(lc.listenPosts()).toBe(1);
  expect([...lc.subscriptionIds]).toEqual(['listen:0']);
  // The vendor: the old key's stream ended while the key was live; one stream open, on the new key.
  const [first, second] = vendor.listens;
  expect(first).toMatchObject({ key: 'key-one', liveAtEnd: true });
  expect(second).toMatchObject({ key: 'key-two' });
  expect(second?.endedAt).toBeUndefined();
  expect(vendor.open()).toBe(1);
});

it('a vendor that numbers the moved subscription its own way: the client still sees its own id', async () => {
  const { vendor, px, backend, lc, sub } = await setup();
  vendor.renumber = (key) => key === 'key-two';
  let seq = 0;
  const ticker = setInterval(() => vendor.publish(++seq), 10);
  await new Promise((r) => setTimeout(r, 100));
  backend.keys.set('modern', { versionId: 'v2', secret: 'key-two' });
  expect(await px.proxy.drain('v1', 30_000)).toEqual({ drained: true, inFlight: 0 });
  await new Promise((r) => setTimeout(r, 200));
  clearInterval(ticker);
  const last = seq;
  await until(() => lc.seqs.length >= last);
  await new Promise((r) => setTimeout(r, 100));
  expect(lc.seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  expect([...lc.subscriptionIds]).toEqual(['listen:0']);
  // The vendor did number it its own way (the client would have dropped those otherwise).
  expect(vendor.listens.map((l) => l.key)).toEqual(['key-one', 'key-two']);
  let closed: string | undefined;
  void sub.closed.then((why) => (closed = why));
  // Its stream keeps carrying the client's id, keep-alives aside, until the client closes it.
  vendor.publish(++seq);
  await until(() => lc.seqs.length === seq);
  expect([...lc.subscriptionIds]).toEqual(['listen:0']);
  expect(closed).toBeUndefined();
});

it('the old stream cut before the new one is acknowledged: the client is told to refetch, its stream goes on', async () => {
  const { vendor, px, backend, lc, sub, live } = await setup();
  let closed: string | undefined;
  void sub.closed.then((why) => (closed = why));
  vendor.publish(1);
  await until(() => lc.seqs.length === 1);
  vendor.hold = (key) => (key === 'key-two' ? 1_000 : false);
  backend.keys.set('modern', { versionId: 'v2', secret: 'key-two' });
  const draining = px.proxy.drain('v1', 30_000);
  await until(() => vendor.listens.length === 2);
  // The old key dies early: the vendor cuts its stream, and change 2 reaches no stream at all.
  live.delete('key-one');
  vendor.publish(2);
  expect(await draining).toEqual({ drained: true, inFlight: 0 });
  await until(() => lc.refetches === 1);
  vendor.publish(3);
  await until(() => lc.seqs.includes(3));
  expect(lc.seqs).toEqual([1, 3]);
  expect(closed).toBeUndefined();
  expect(lc.listenPosts()).toBe(1);
});

it('a vendor that never acknowledges the new listen: the old stream ends at the drain, the client is told to refetch', async () => {
  const { vendor, px, backend, lc, sub } = await setup();
  vendor.hold = (key) => key === 'key-two';
  vendor.publish(1);
  await until(() => lc.seqs.length === 1);
  backend.keys.set('modern', { versionId: 'v2', secret: 'key-two' });
  const t0 = performance.now();
  const drained = await px.proxy.drain('v1', 30_000);
  const drainMs = performance.now() - t0;
  console.log(`listen splice, never acknowledged: drain ${drainMs.toFixed(0)} ms`);
  expect(drained).toEqual({ drained: true, inFlight: 0 });
  // The bound on the acknowledgment (5 s), not the drain's 30 s.
  expect(drainMs).toBeGreaterThan(4_500);
  expect(drainMs).toBeLessThan(10_000);
  // The client was told to refetch, then its subscription ended as a remote end: listen again.
  expect(await sub.closed).toBe('remote');
  expect(lc.refetches).toBe(1);
  expect(lc.seqs).toEqual([1]);
  // Nothing is left at the vendor: the old stream ended before its key was revoked, the held one too.
  await until(() => vendor.open() === 0);
  expect(vendor.listens.map((l) => [l.key, l.held, l.liveAtEnd])).toEqual([
    ['key-one', false, true],
    ['key-two', true, true],
  ]);
  // Listening again works, on the new key (once the vendor acknowledges again).
  vendor.hold = () => false;
  const again = await lc.client.listen({ toolsListChanged: true });
  vendor.publish(2);
  await until(() => lc.seqs.length === 2);
  expect(vendor.listens[2]).toMatchObject({ key: 'key-two', held: false });
  await again.close();
});

it('a client that leaves mid-splice leaves nothing behind: no upstream stream, lease or timer', async () => {
  const { vendor, px, backend, lc } = await setup();
  vendor.hold = (key) => key === 'key-two';
  vendor.publish(1);
  await until(() => lc.seqs.length === 1);
  const timers = activeTimers();
  backend.keys.set('modern', { versionId: 'v2', secret: 'key-two' });
  const t0 = performance.now();
  const draining = px.proxy.drain('v1', 30_000);
  // The new listen stream is at the vendor (held, not acknowledged): the client goes away.
  await until(() => vendor.listens.length === 2);
  lc.abort();
  const drained = await draining;
  const drainMs = performance.now() - t0;
  expect(drained).toEqual({ drained: true, inFlight: 0 });
  expect(drainMs).toBeLessThan(4_000);
  // No request holds the new key either, and both upstream streams are gone.
  expect(await px.proxy.drain('v2', 0)).toEqual({ drained: true, inFlight: 0 });
  await until(() => vendor.open() === 0);
  // The splice's timer (the acknowledgment's 5 s bound) went with it: sooner than it would fire.
  await until(() => activeTimers() <= timers, 2_000);
});

/** Timers keeping this process alive (the proxy's, the client's and the server's alike). */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
