import type { FormatCheck } from './vendor-adapter';

/**
 * Problems every vendor's key shares regardless of format: paste accidents that would make the
 * header wrong. Returns a reason to reject, or null.
 */
export function pasteProblem(secret: string, vendorName: string): string | null {
  if (secret.length === 0) return `The ${vendorName} key is empty`;
  if (/^\s|\s$/.test(secret)) {
    return `The ${vendorName} key starts or ends with whitespace; paste the key alone`;
  }
  if (/^bearer\s/i.test(secret)) {
    return `Paste the ${vendorName} key without the "Bearer " prefix; Keyway adds the header itself`;
  }
  if (/[\s\p{Cc}]/u.test(secret)) {
    return `The ${vendorName} key contains spaces or control characters, which no key has`;
  }
  return null;
}

export function formatOk(warnings: string[] = []): FormatCheck {
  return { ok: true, warnings };
}

export function formatRejected(reason: string): FormatCheck {
  return { ok: false, reason };
}

/** Order-preserving de-duplication with trimming; empty labels are dropped. */
export function uniqueScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter(Boolean))];
}
