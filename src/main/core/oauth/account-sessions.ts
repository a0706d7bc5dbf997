/**
 * The per-account state machine of Keyway's OAuth client: login, logout, refresh and step-up
 * of one account are serialised through `exclusive`, and every change the user makes (a logout,
 * a completed login) starts a new generation. Work that began in an older generation (a refresh
 * whose answer arrives after a logout, a login started before one) finds out with `isCurrent`
 * and is thrown away instead of undoing the user's choice. Also: the back-off of a refresh that
 * keeps failing, and the step-up budget. Pure bookkeeping (no I/O), so it is unit-tested alone.
 */

export interface SessionPolicy {
  /** First retry after a transient refresh failure; doubled per failure up to `maxRetryMs`. */
  baseRetryMs: number;
  maxRetryMs: number;
  /** Step-up logins asked for per account within `stepUpWindowMs`. */
  maxStepUps: number;
  stepUpWindowMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  baseRetryMs: 10_000,
  maxRetryMs: 15 * 60_000,
  maxStepUps: 3,
  stepUpWindowMs: 10 * 60_000,
};

interface AccountSession {
  generation: number;
  /** The tail of the account's exclusive section chain. */
  tail: Promise<unknown>;
  failures: number;
  /** No refresh starts before this (ms since epoch), except the retry timer's own. */
  retryAt: number;
  /** Access-token versions a step-up was asked for, with when (the budget's window). */
  stepUps: Map<string, number>;
}

export interface RefreshFailure {
  /** When to try again. */
  retryInMs: number;
  /** Whether this failure deserves an audit line: the first, then the 2nd, 4th, 8th… */
  audit: boolean;
  failures: number;
}

export class AccountSessions {
  private readonly sessions = new Map<string, AccountSession>();

  constructor(
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
    private readonly nowMs: () => number = Date.now,
  ) {}

  private of(account: string): AccountSession {
    let s = this.sessions.get(account);
    if (!s) {
      s = {
        generation: 0,
        tail: Promise.resolve(),
        failures: 0,
        retryAt: 0,
        stepUps: new Map(),
      };
      this.sessions.set(account, s);
    }
    return s;
  }

  generation(account: string): number {
    return this.of(account).generation;
  }

  isCurrent(account: string, generation: number): boolean {
    return this.of(account).generation === generation;
  }

  /** The user changed the account (logged out, logged in): older work is now stale. */
  advance(account: string): number {
    const s = this.of(account);
    s.generation += 1;
    s.failures = 0;
    s.retryAt = 0;
    return s.generation;
  }

  /** Runs `fn` after every earlier section of this account has finished (one at a time). */
  exclusive<T>(account: string, fn: () => Promise<T>): Promise<T> {
    const s = this.of(account);
    const run = s.tail.then(fn, fn);
    // The caller gets `run`'s failure; the tail only orders the next section after it.
    s.tail = run.catch(() => undefined);
    return run;
  }

  /** Whether a refresh may start now (not while backing off after failures). */
  mayRefresh(account: string): boolean {
    return this.nowMs() >= this.of(account).retryAt;
  }

  isFailing(account: string): boolean {
    return this.of(account).failures > 0;
  }

  refreshFailed(account: string): RefreshFailure {
    const s = this.of(account);
    s.failures += 1;
    const retryInMs = Math.min(
      this.policy.maxRetryMs,
      this.policy.baseRetryMs * 2 ** Math.min(30, s.failures - 1),
    );
    s.retryAt = this.nowMs() + retryInMs;
    const audit = (s.failures & (s.failures - 1)) === 0;
    return { retryInMs, audit, failures: s.failures };
  }

  refreshSucceeded(account: string): void {
    const s = this.of(account);
    s.failures = 0;
    s.retryAt = 0;
  }

  /**
   * A 403 `insufficient_scope` for the access token `versionId`. True when a step-up login may
   * be asked for: once per token version (concurrent 403s of one token count once), at most
   * `maxStepUps` within the window, after which the budget frees up again.
   */
  allowStepUp(account: string, versionId: string): boolean {
    const s = this.of(account);
    const now = this.nowMs();
    for (const [v, at] of s.stepUps)
      if (now - at >= this.policy.stepUpWindowMs) s.stepUps.delete(v);
    if (s.stepUps.has(versionId)) return false;
    if (s.stepUps.size >= this.policy.maxStepUps) return false;
    s.stepUps.set(versionId, now);
    return true;
  }

  forget(account: string): void {
    this.sessions.delete(account);
  }
}
