import { describe, expect, it } from 'vitest';
import {
  hasControlCharacters,
  untrustedText,
  UNTRUSTED_TEXT_MAX,
} from '../../src/main/core/untrusted-text';

describe('untrustedText', () => {
  it('strips terminal escapes and control characters to one line', () => {
    const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mbad\u001b[0m\r\nline two\u202e';
    const safe = untrustedText(hostile);
    expect(safe).toBe('bad line two');
    expect(hasControlCharacters(safe)).toBe(false);
  });

  it('redacts credentials a server echoes, and the secrets Keyway holds', () => {
    const refresh = 'rt-0123456789abcdef';
    const page = `grant_type=refresh_token&refresh_token=${refresh}&client_id=abc {"client_secret":"s3cr3t-value"} Authorization: Bearer eyJhbGciOi.x.y code=AUTHCODE kwc_${'A'.repeat(43)}`;
    const safe = untrustedText(page, 1000, ['held-secret-123']);
    expect(safe).not.toContain(refresh);
    expect(safe).not.toContain('s3cr3t-value');
    expect(safe).not.toContain('eyJhbGciOi');
    expect(safe).not.toContain('AUTHCODE');
    expect(safe).not.toContain('AAAAAAAAAAAAAAAA');
    expect(safe).toContain('client_id=abc');
    expect(untrustedText('x held-secret-123 and held-secret-123', 100, ['held-secret-123'])).toBe(
      'x [redacted] and [redacted]',
    );
    expect(untrustedText('HTTP error code: 400')).toBe('HTTP error code: 400');
  });

  it('is bounded: never more than asked, never more than 64 KiB, quick on 10 MB', () => {
    const huge = 'a '.repeat(5 * 1024 * 1024);
    const started = performance.now();
    expect(untrustedText(huge, 10_000_000).length).toBeLessThanOrEqual(UNTRUSTED_TEXT_MAX);
    expect(untrustedText(huge, 50)).toHaveLength(50);
    expect(untrustedText(huge, 50).endsWith('…')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
