import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { KeyVersion } from '../../shared/domain';

/** The non-secret facts Keyway shows about a secret: first 8 hex of its SHA-256, last 4 chars. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
}

export function last4(secret: string): string {
  return secret.length <= 8 ? '' : secret.slice(-4);
}

/** A new, active key version for a secret: what Keyway shows of it, never the secret. */
export function newVersion(
  secret: string,
  now: Date,
  vendorKeyId: string | null,
  expires: string | null,
): KeyVersion {
  return {
    id: randomUUID(),
    vendorKeyId,
    fingerprint: fingerprint(secret),
    last4: last4(secret),
    created: now.toISOString(),
    expires,
    state: 'active',
  };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A local token for a client or the control API: 256 bits, URL-safe. */
export function newLocalToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Compares a presented token with a stored SHA-256 hex digest in constant time. */
export function tokenMatchesHash(token: string, hashHex: string): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(hashHex, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** Constant-time equality of two tokens of possibly different lengths. */
export function tokensEqual(a: string, b: string): boolean {
  return tokenMatchesHash(a, sha256Hex(b));
}
