import type { ProxyBackend, ProxyKey } from '../proxy-backend';

/**
 * The one retry policy, for Streamable HTTP and legacy HTTP+SSE alike: when a vendor refuses a
 * request (401, 403, 404), what a key swap explains is recovered invisibly, and only that.
 */
export const MAX_ATTEMPTS = 3;
const REFUSALS = new Set([401, 403, 404]);

export const isRefusal = (status: number): boolean => REFUSALS.has(status);

export interface RefusalFacts {
  status: number;
  /** The key the refused request carried. */
  used: ProxyKey;
  /** The session moved to another vendor session while the request was out: just resend. */
  sessionMoved: boolean;
  inSession: boolean;
  /** The vendor session (or legacy link) belongs to another key and can be re-opened. */
  boundElsewhere: boolean;
}

/** `retry`: resend with the current key; `reopen`: re-open the vendor session, then resend. */
export async function afterRefusal(
  backend: ProxyBackend,
  slug: string,
  facts: RefusalFacts,
): Promise<'retry' | 'reopen' | 'pass'> {
  if (!REFUSALS.has(facts.status)) return 'pass';
  if (facts.sessionMoved) return 'retry';
  const current = await backend.currentKey(slug).catch(() => facts.used);
  if (current.versionId !== facts.used.versionId && (facts.status === 401 || facts.inSession))
    return 'retry';
  if (facts.boundElsewhere) return 'reopen';
  return 'pass';
}

/**
 * A 401 the vendor gave the still-current key. A backend that can renew its credential (OAuth)
 * does, and the request is resent once (`renewed`); otherwise the backend hears of the refusal.
 * `mayRenew` is false for a request that was already resent after a renewal: one per request,
 * so concurrent 401s never turn into a storm of refreshes.
 */
export async function keyRefused(
  backend: ProxyBackend,
  slug: string,
  used: ProxyKey,
  mayRenew: boolean,
): Promise<'renewed' | 'refused' | 'stale'> {
  const current = await backend.currentKey(slug).catch(() => used);
  if (current.versionId !== used.versionId) return 'stale';
  if (mayRenew && (await backend.renewKey(slug, used.versionId).catch(() => false)))
    return 'renewed';
  backend.onKeyRefused(slug, used.versionId, 401);
  return 'refused';
}

/**
 * A 403 whose `WWW-Authenticate` says `insufficient_scope` (RFC 6750): the credential is fine
 * but lacks a scope. Not retried — only a new authorization can add scopes — but the backend
 * hears of it with the challenge, so an OAuth account can ask its user to log in with more.
 */
export function scopeRefused(
  backend: ProxyBackend,
  slug: string,
  used: ProxyKey,
  challenge: string | string[] | undefined,
): void {
  const text = Array.isArray(challenge) ? challenge.join(', ') : challenge;
  if (text && /insufficient_scope/i.test(text))
    backend.onKeyRefused(slug, used.versionId, 403, text);
}
