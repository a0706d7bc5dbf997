import { describe, expect, it } from 'vitest';
import { copyWithExpiry, type ClipboardLike } from './clipboard';

function fakeClipboard(): ClipboardLike & { text: string } {
  const c = {
    text: '',
    writeText: (t: string) => void (c.text = t),
    // Electron 45's main-process clipboard answers readText asynchronously.
    readText: () => Promise.resolve(c.text),
    clear: () => void (c.text = ''),
  };
  return c;
}

describe('copy key with expiry (desktop clipboard)', () => {
  it('clears the key after the delay', async () => {
    const clip = fakeClipboard();
    const timers: Array<{ fn: () => void; ms: number }> = [];
    copyWithExpiry(clip, (fn, ms) => timers.push({ fn, ms }))('qv_secret_value', 30_000);
    expect(clip.text).toBe('qv_secret_value');
    expect(timers[0]?.ms).toBe(30_000);
    timers[0]?.fn();
    await new Promise((r) => setTimeout(r, 0));
    expect(clip.text).toBe('');
  });

  it('leaves whatever the user copied since', async () => {
    const clip = fakeClipboard();
    const timers: Array<() => void> = [];
    copyWithExpiry(clip, (fn) => timers.push(fn))('qv_secret_value', 30_000);
    void clip.writeText('my own note');
    timers[0]?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(clip.text).toBe('my own note');
  });
});
