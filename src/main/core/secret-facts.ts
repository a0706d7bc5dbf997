import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The non-secret facts Keyway shows about a secret: first 8 hex of its SHA-256, last 4 chars. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
}

export function last4(secret: string): string {
  return secret.length <= 8 ? '' : secret.slice(-4);
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
