import { randomBytes, randomUUID } from 'node:crypto';
import type { OAuthServerFacts } from './oauth-discovery';
import type { RegisteredClient } from './oauth-registration';

/** A login between its authorization URL and the redirect back: PKCE verifier in memory only. */
export interface PendingLogin {
  loginId: string;
  account: string;
  /** The OAuth `state`: 256 random bits, the callback's only way in. */
  state: string;
  codeVerifier: string;
  redirectUri: string;
  scopes: string[];
  /** The account's session generation when the login started: a logout since voids it. */
  generation: number;
  /** The authorization server this login went to, and the client it used there. */
  facts: OAuthServerFacts;
  client: RegisteredClient;
  /** The client was registered for this login (kept only if the login completes). */
  clientIsNew: boolean;
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
  /** Logins waiting for their redirect; a `state` leaves this map the moment it is used. */
  private readonly byState = new Map<string, PendingLogin>();
  /** Every login until it expires, for `wait` (the CLI may ask after the redirect came). */
  private readonly byLoginId = new Map<string, PendingLogin>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  start(fields: Omit<PendingLogin, 'loginId' | 'state' | 'startedAt' | 'outcome'>): PendingLogin {
    this.expire();
    // One login per account at a time: a new one replaces (and fails) the old.
    for (const p of this.byLoginId.values())
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
    this.byLoginId.set(login.loginId, login);
    return login;
  }

  /**
   * The login a callback's `state` names, only while it is waiting for the redirect. Redeemed
   * here, before any token exchange: a second callback with the same `state` (even one arriving
   * at the same moment) finds nothing, so one PKCE verifier is never exchanged twice.
   */
  claim(state: string): PendingLogin | undefined {
    this.expire();
    const login = this.byState.get(state);
    this.byState.delete(state);
    return login && !login.outcome ? login : undefined;
  }

  finish(login: PendingLogin, outcome: LoginResult): void {
    if (login.outcome) return;
    login.outcome = outcome;
    for (const wake of this.waiters.get(login.loginId) ?? []) wake();
    this.waiters.delete(login.loginId);
  }

  byId(loginId: string): PendingLogin | undefined {
    this.expire();
    return this.byLoginId.get(loginId);
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

  /** Fails the account's open logins (a logout: the user no longer wants that session). */
  cancelAccount(account: string, reason: string): void {
    for (const p of this.byLoginId.values())
      if (p.account === account) {
        this.finish(p, { ok: false, error: reason });
        this.byState.delete(p.state);
      }
  }

  cancelAll(reason: string): void {
    for (const p of this.byLoginId.values()) this.finish(p, { ok: false, error: reason });
    this.byState.clear();
  }

  private expire(): void {
    const cutoff = this.nowMs() - LOGIN_TTL_MS;
    for (const [id, p] of this.byLoginId) {
      if (p.startedAt >= cutoff) continue;
      this.finish(p, { ok: false, error: 'the login timed out (10 minutes); start it again' });
      this.byState.delete(p.state);
      this.byLoginId.delete(id);
    }
  }
}
