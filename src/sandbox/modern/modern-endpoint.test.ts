// The SDK v2 sandbox endpoint as a vendor behaves: a 2025 `initialize` refused in the 2026-only
// era and served in the dual one, and a revoked key refused and cut off mid-stream, while other
// keys' streams go on.
import { afterEach, expect, it } from 'vitest';
import { MODERN_RESOURCE, startModernVendor } from './modern-vendor';
import type { ModernVendor } from './modern-vendor';
import { legacyPost, modernPost } from '../../../test/support/modern-request';

let vendor: ModernVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

/** Opens a listen stream on the vendor's resource; collects what it says until it ends. */
async function listen(v: ModernVendor, key: string) {
  const res = await modernPost(v.url, key, 'subscriptions/listen', {
    notifications: { resourceSubscriptions: [MODERN_RESOURCE] },
  });
  expect(res.status).toBe(200);
  let text = '';
  let notify: () => void = () => undefined;
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: '' }));
      if (done) return;
      text += value;
      notify();
    }
  })();
  const until = (word: string) =>
    new Promise<void>((resolve) => {
      notify = () => text.includes(word) && resolve();
      notify();
    });
  return { until, ended, text: () => text };
}

it('in the 2026-only era refuses initialize with the supported version; the dual era serves it', async () => {
  const init = {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'old', version: '1' },
  };
  vendor = await startModernVendor('modern');
  const refused = await legacyPost(vendor.url, vendor.mint(), 'initialize', init);
  expect(refused.status).toBe(400);
  expect(await refused.text()).toMatch(/2026-07-28/);
  await vendor.close();
  vendor = await startModernVendor('dual');
  const served = await legacyPost(vendor.url, vendor.mint(), 'initialize', init);
  expect(served.status).toBe(200);
  expect(await served.text()).toMatch(/sandbox-modern/);
});

it('revoking a key ends its open listen stream and refuses it after; another key’s stream goes on', async () => {
  vendor = await startModernVendor('modern');
  const [doomed, kept] = [vendor.mint(), vendor.mint()];
  const a = await listen(vendor, doomed);
  const b = await listen(vendor, kept);
  await Promise.all([a.until('acknowledged'), b.until('acknowledged')]);

  vendor.revoke(doomed);
  await a.ended;
  vendor.touch();
  await b.until('notifications/resources/updated');
  expect(a.text()).not.toMatch(/resources\/updated/);
  expect((await modernPost(vendor.url, doomed, 'tools/list')).status).toBe(401);
  expect((await modernPost(vendor.url, kept, 'tools/list')).status).toBe(200);
  await vendor.close();
  await b.ended;
});
