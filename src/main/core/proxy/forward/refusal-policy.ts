import type { ProxyBackend, ProxyKey } from '../proxy-backend';

/**
 * The one retry policy, for Streamable HTTP and legacy HTTP+SSE alike: when a vendor refuses a
 * request (401, 403, 404), what a key swap explains is recovered invisibly, and only that; a 401
 * to the still-current key is renewed once where the credential can renew itself (OAuth), else
 * reported; a 403 `insufficient_scope` is reported with its challenge (an OAuth step-up).
 */
export const MAX_ATTEMPTS = 3;
const REFUSALS = new Set([401, 403, 404]);

export interface RefusalFacts {
  status: number;
  /** The key the refused request carried. */
  used: ProxyKey;
  /** The session moved to another vendor session while the request was out: just resend. */
  sessionMoved: boolean;
  inSession: boolean;
  /** The vendor session (or legacy link) belongs to another key and can be re-opened. */
  boundElsewhere: boolean;
  /** The vendor's `WWW-Authenticate`, for a 403 step-up. */
  challenge?: string | string[];
}

export interface Allowance {
  /** The body can be sent again and the attempts are not used up. */
  mayResend: boolean;
  /** No renewal happened for this request yet: one per request, so 401s never storm. */
  mayRenew: boolean;
}

/**
 * `retry`: resend with the current key; `reopen`: re-open the vendor session, then resend;
 * `renewed`: the credential was renewed, resend once; `pass`: the vendor's answer stands.
 */
export type Verdict = 'retry' | 'reopen' | 'renewed' | 'pass';

/** Decides what follows a vendor's answer, from one read of the connection's current key. */
export async function decide(
  backend: ProxyBackend,
  slug: string,
  facts: RefusalFacts,
  allow: Allowance,
): Promise<Verdict> {
  const { status, used } = facts;
  if (!REFUSALS.has(status)) return 'pass';
  if (allow.mayResend && facts.sessionMoved) return 'retry';
  // The backend's failure (keychain locked) counts as "unchanged": the answer stands or renews.
  const current = await backend.currentKey(slug).catch(() => used);
  const stale = current.versionId !== used.versionId;
  if (allow.mayResend && stale && (status === 401 || facts.inSession)) return 'retry';
  if (allow.mayResend && facts.boundElsewhere) return 'reopen';
  if (status === 401) {
    // A 401 to a key already replaced says nothing about the current one.
    if (stale) return 'pass';
    if (allow.mayRenew && (await renew(backend, slug, used))) return 'renewed';
    backend.onKeyRefused(slug, used.versionId, 401);
    return 'pass';
  }
  if (status === 403) scopeRefused(backend, slug, used, facts.challenge);
  return 'pass';
}

/**
 * A backend that can renew its credential (OAuth) does; API keys only a rotation replaces. A
 * failed renewal is a refusal like any other: the backend hears of it below.
 */
function renew(backend: ProxyBackend, slug: string, used: ProxyKey): Promise<boolean> {
  // Nothing is lost by swallowing: the backend records its own renewal failures (back-off,
  // needs-login), and the 401 is reported to it just below.
  return backend.renewKey(slug, used.versionId).catch(() => false);
}

/**
 * A 403 whose `WWW-Authenticate` says `insufficient_scope` (RFC 6750): the credential is fine
 * but lacks a scope. Not retried — only a new authorization can add scopes — but the backend
 * hears of it with the challenge, so an OAuth account can ask its user to log in with more.
 */
function scopeRefused(
  backend: ProxyBackend,
  slug: string,
  used: ProxyKey,
  challenge: string | string[] | undefined,
): void {
  const text = Array.isArray(challenge) ? challenge.join(', ') : challenge;
  if (text && /insufficient_scope/i.test(text))
    backend.onKeyRefused(slug, used.versionId, 403, text);
}
