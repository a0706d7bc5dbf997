import { describe, expect, it } from 'vitest';
import { OrderGate } from './order-gate';

const settled = async (p: Promise<void> | undefined): Promise<boolean> => {
  if (!p) return true;
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 5));
  return done;
};

describe('OrderGate', () => {
  it('is open (no promise at all) until something holds it', () => {
    expect(new OrderGate().wait()).toBeUndefined();
  });

  it('after initialized, waits for the stream, then for it to open at the vendor', async () => {
    const gate = new OrderGate();
    gate.expectStream(10_000);
    const waiting = gate.wait();
    expect(await settled(waiting)).toBe(false);
    const opened = gate.streamOpening(10_000); // the GET arrived: still closed while it opens
    expect(await settled(waiting)).toBe(false);
    opened();
    expect(await settled(waiting)).toBe(true);
    expect(gate.wait()).toBeUndefined();
  });

  it('lapses on its own when the stream never comes', async () => {
    const gate = new OrderGate();
    gate.expectStream(20);
    const waiting = gate.wait();
    await new Promise((r) => setTimeout(r, 40));
    expect(await settled(waiting)).toBe(true);
  });

  it('opens at once when the session is cleared', async () => {
    const gate = new OrderGate();
    gate.expectStream(10_000);
    gate.streamOpening(10_000);
    const waiting = gate.wait();
    gate.clear();
    expect(await settled(waiting)).toBe(true);
  });
});
