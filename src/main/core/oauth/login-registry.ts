import { randomBytes, randomUUID } from 'node:crypto';

/** A login between its authorization URL and the redirect back: PKCE verifier in memory only. */
export interface PendingLogin {
  loginId: string;
  account: string;
  /** The OAuth `state`: 256 random bits, the callback's only way in. */
  state: string;
  codeVerifier: string;
  redirectUri: string;
  scopes: string[];
  startedAt: number;
  outcome: LoginResult | null;
}

export type LoginResult = { ok: true } | { ok: false; error: string };

const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Logins in flight, by `state` and by id. A finished login keeps its outcome until it is read
 * or expires, because the browser may come back before the CLI starts waiting.
 */
export class LoginRegistry {
  private readonly byState = new Map<string, PendingLogin>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  start(fields: Omit<PendingLogin, 'loginId' | 'state' | 'startedAt' | 'outcome'>): PendingLogin {
    this.expire();
    // One login per account at a time: a new one replaces (and fails) the old.
    for (const p of this.byState.values())
      if (p.account === fields.account && !p.outcome)
        this.finish(p, { ok: false, error: 'a newer login for this account was started' });
    const login: PendingLogin = {
      ...fields,
      loginId: randomUUID(),
      state: randomBytes(32).toString('base64url'),
      startedAt: this.nowMs(),
      outcome: null,
    };
    this.byState.set(login.state, login);
    return login;
  }

  /** The login a callback's `state` names, only while it is waiting for the redirect. */
  claim(state: string): PendingLogin | undefined {
    this.expire();
    const login = this.byState.get(state);
    return login && !login.outcome ? login : undefined;
  }

  finish(login: PendingLogin, outcome: LoginResult): void {
    if (login.outcome) return;
    login.outcome = outcome;
    for (const wake of this.waiters.get(login.loginId) ?? []) wake();
    this.waiters.delete(login.loginId);
  }

  byId(loginId: string): PendingLogin | undefined {
    for (const p of this.byState.values()) if (p.loginId === loginId) return p;
    return undefined;
  }

  /** Resolves with the outcome, or null after `waitMs` while the login is still open. */
  async wait(login: PendingLogin, waitMs: number): Promise<LoginResult | null> {
    if (login.outcome || waitMs <= 0) return login.outcome;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(login.loginId) ?? new Set();
      this.waiters.set(login.loginId, set);
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      set.add(wake);
    });
    return login.outcome;
  }

  cancelAll(reason: string): void {
    for (const p of this.byState.values()) this.finish(p, { ok: false, error: reason });
    this.byState.clear();
  }

  private expire(): void {
    const cutoff = this.nowMs() - LOGIN_TTL_MS;
    for (const [state, p] of this.byState) {
      if (p.startedAt >= cutoff) continue;
      this.finish(p, { ok: false, error: 'the login timed out (10 minutes); start it again' });
      this.byState.delete(state);
    }
  }
}
