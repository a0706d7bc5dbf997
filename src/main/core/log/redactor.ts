/**
 * Keeps secrets out of log lines. Every secret Keyway reads or writes through the keychain is
 * registered here (see `redactingSecrets`), so a message that quotes one, say in a vendor's error
 * text, shows `[redacted]` instead; shapes that are obviously tokens (Bearer values, JWTs,
 * prefixed API keys, long opaque strings) are masked even when Keyway never held them.
 */
const MASK = '[redacted]';
/** Shorter values are not registered: masking "abc" everywhere would garble logs for nothing. */
const MIN_SECRET = 8;
const SHAPES: RegExp[] = [
  /\b(Bearer|Basic)\s+[^\s"',]+/gi,
  /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, // JWT
  /\b[a-z]{2,8}[_-][A-Za-z0-9_-]{20,}/g, // sk-…, kwctl_…, ghp_…
  /\b[A-Za-z0-9+/_-]{32,}={0,2}/g, // long opaque strings (hex, base64url)
];

export class Redactor {
  private readonly known = new Set<string>();

  register(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= MIN_SECRET) this.known.add(secret);
  }

  forget(secret: string): void {
    this.known.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.known) if (out.includes(s)) out = out.split(s).join(MASK);
    for (const shape of SHAPES)
      out = out.replace(shape, (m, scheme?: string) =>
        typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${MASK}` : MASK,
      );
    return out;
  }
}
