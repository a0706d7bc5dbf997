import {
  discoverAuthorizationServerMetadata,
  refreshAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { currentVersion, type Account, type OAuthAccountInfo } from '../../../../shared/domain';
import { KeywayError } from '../../../../shared/errors';
import { secretNames } from '../../keychain/secret-store';
import type { OAuthServerFacts } from '../../oauth/oauth-discovery';
import { LoginRegistry } from '../../oauth/login-registry';
import { assertIssuerMatches, assertMetadataSafe } from '../../oauth/oauth-safety';
import { clientInformation, type RegisteredClient } from '../../oauth/oauth-registration';
import { oauthKeyRef, oauthSecretNames, subjectFromIdToken } from '../../oauth/oauth-secrets';
import { findAccount, lookupAccount, lookupKey } from '../../store/lookups';
import { newVersion } from '../../secret-facts';
import { announce, record } from '../../audit/audit-record';
import type { OAuthContext } from './oauth-context';
import { AccountSessions } from '../../oauth/account-sessions';
import { boundedScopes } from '../../oauth/oauth-scopes';
import { oauthFetch } from '../../oauth/oauth-fetch';
import { revokeToken } from '../../oauth/oauth-revocation';
import { untrustedError, untrustedText } from '../../untrusted-text';
import { clientCredentialsToken, isClientCredentials } from './client-credentials-token';

export type { OAuthContext } from './oauth-context';

/** Refresh this long before expiry: a fifth of the lifetime, at most a minute. */
export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(1_000, lifetimeMs / 5));
}
/** A key keeps this many access-token versions as history for `key ls`; older ones are dropped. */
const KEPT_VERSIONS = 5;

/** Errors that mean the refresh token (or the client) is dead: only a new login helps. */
function refusedForGood(err: unknown): boolean {
  return (
    err instanceof OAuthError &&
    ['invalid_grant', 'invalid_client', 'unauthorized_client'].includes(err.errorCode)
  );
}

/**
 * The OAuth session of every OAuth account: tokens in the keychain, one refresh in flight per
 * account shared by the timer, the proxy's renewals and every session, and the state the UI, the
 * tray and the CLI show ("signed in", "needs login").
 */
export class OAuthService {
  readonly logins = new LoginRegistry();
  /** Login, logout, refresh and step-up of each account: generations, back-off, budget. */
  readonly sessions = new AccountSessions();
  /** Authorization server facts by issuer: credentials never travel to another one. */
  private readonly facts = new Map<string, OAuthServerFacts>();
  private readonly refreshing = new Map<string, Promise<boolean>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(readonly ctx: OAuthContext) {}

  /** Schedules the refresh of every signed-in account (after a restart). */
  start(): void {
    this.stopped = false;
    for (const a of this.ctx.store.current.accounts) if (a.oauth) this.schedule(a.name);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.logins.cancelAll('Keyway is shutting down');
  }

  rememberFacts(facts: OAuthServerFacts): void {
    this.facts.set(facts.authorizationServerUrl, facts);
  }

  /**
   * The metadata of the authorization server the account's tokens and client belong to (its
   * recorded issuer), rediscovered once after a restart. Never another server's.
   */
  async serverFacts(account: Account): Promise<OAuthServerFacts> {
    const issuer = account.oauth?.issuer;
    if (!issuer) throw new KeywayError('conflict', `account "${account.name}" has not logged in`);
    const known = this.facts.get(issuer);
    if (known) return { ...known, resource: account.oauth?.resource ?? known.resource };
    const metadata = await discoverAuthorizationServerMetadata(issuer, { fetchFn: oauthFetch });
    if (metadata) {
      assertIssuerMatches(metadata, issuer);
      assertMetadataSafe(metadata);
    }
    const facts: OAuthServerFacts = {
      authorizationServerUrl: issuer,
      metadata,
      resource: account.oauth?.resource ?? undefined,
      scopes: account.oauth?.scopes ?? [],
    };
    this.facts.set(issuer, facts);
    return facts;
  }

  async client(account: Account): Promise<RegisteredClient> {
    const o = account.oauth;
    if (!o?.clientId) throw new KeywayError('conflict', `account "${account.name}" has no client`);
    const secret = o.hasClientSecret
      ? await this.ctx.secrets.get(
          oauthSecretNames.clientSecret(this.ctx.secretScope, account.name),
        )
      : undefined;
    return { clientId: o.clientId, clientSecret: secret, tokenEndpointAuthMethod: undefined };
  }

  /**
   * One refresh per account at a time; every caller during it shares its result. While a
   * refresh keeps failing, callers get false at once until the back-off has passed (only the
   * retry timer, `fromTimer`, starts one then), so a hanging server costs one wait, not one each.
   */
  refresh(name: string, fromTimer = false): Promise<boolean> {
    const running = this.refreshing.get(name);
    if (running) return running;
    if (!fromTimer && !this.sessions.mayRefresh(name)) return Promise.resolve(false);
    const run = this.doRefresh(name).finally(() => this.refreshing.delete(name));
    this.refreshing.set(name, run);
    return run;
  }

  /** The proxy saw a 401 for `versionId`: refresh unless a newer token already replaced it. */
  async renew(name: string, versionId: string): Promise<boolean> {
    const running = this.refreshing.get(name);
    if (running) return running;
    const key = lookupKey(this.ctx.store.current, oauthKeyRef(name));
    const current = key && currentVersion(key);
    if (current && current.id !== versionId) return true;
    return this.refresh(name);
  }

  private async doRefresh(name: string): Promise<boolean> {
    const account = lookupAccount(this.ctx.store.current, name);
    if (account?.oauth?.state !== 'signed-in') return false;
    // A service account (issue 25) has no refresh token: it asks for a new token with its secret.
    if (isClientCredentials(account)) return clientCredentialsToken(this, name, 'refresh');
    const generation = this.sessions.generation(name);
    const refreshToken = await this.ctx.secrets.get(
      oauthSecretNames.refreshToken(this.ctx.secretScope, name),
    );
    if (!refreshToken) {
      await this.needsLogin(name, 'the server gave no refresh token; log in again');
      return false;
    }
    let facts: OAuthServerFacts | undefined;
    let client: RegisteredClient | undefined;
    let tokens: OAuthTokens;
    try {
      facts = await this.serverFacts(account);
      client = await this.client(account);
      tokens = await refreshAuthorization(facts.authorizationServerUrl, {
        metadata: facts.metadata,
        clientInformation: clientInformation(client),
        refreshToken,
        resource: facts.resource,
        fetchFn: oauthFetch,
      });
    } catch (err) {
      const why = untrustedError(err, 300, [refreshToken, client?.clientSecret]);
      if (!this.sessions.isCurrent(name, generation)) return false;
      if (refusedForGood(err)) {
        await this.needsLogin(name, `the authorization server refused the refresh: ${why}`);
        return false;
      }
      const failure = this.sessions.refreshFailed(name);
      if (failure.audit)
        await record(this.ctx, {
          event: 'oauth.refresh-failed',
          key: oauthKeyRef(name),
          client: null,
          account: name,
          detail: { message: why, failures: failure.failures, retryInMs: failure.retryInMs },
        });
      this.schedule(name, failure.retryInMs);
      return false;
    }
    const saved = await this.saveTokens(name, tokens, 'refresh', generation);
    if (!saved) await this.discard(facts, client, tokens);
    else this.sessions.refreshSucceeded(name);
    return saved;
  }

  /**
   * Tokens that arrived for a generation the user has left (a logout during the refresh, a
   * newer login): nothing of them is kept, and the server is asked to revoke them.
   */
  async discard(
    facts: OAuthServerFacts,
    client: RegisteredClient,
    tokens: OAuthTokens,
  ): Promise<void> {
    const revoke = (token: string, hint: 'refresh_token' | 'access_token') =>
      revokeToken(facts.metadata, client, token, hint).catch((err: unknown) => {
        this.ctx.log.debug(`could not revoke a discarded ${hint}`, err);
        return false;
      });
    const revokedRefresh = tokens.refresh_token
      ? await revoke(tokens.refresh_token, 'refresh_token')
      : false;
    // Revoking the refresh token ends the grant (RFC 7009 §2.1); the access token is revoked
    // too where the server could not revoke the grant.
    if (!revokedRefresh) await revoke(tokens.access_token, 'access_token');
  }

  /**
   * Access token → a new version of NAME/oauth (keychain first), refresh token → the keychain
   * (an answer without one keeps the old one), expiry and state → the store.
   */
  generationOf(name: string): number {
    return this.sessions.generation(name);
  }

  async saveTokens(
    name: string,
    tokens: OAuthTokens,
    how: 'login' | 'refresh',
    generation: number,
    commit?: (o: OAuthAccountInfo) => void,
  ): Promise<boolean> {
    return this.sessions.exclusive(name, async () => {
      const o = lookupAccount(this.ctx.store.current, name)?.oauth;
      // The user logged out (or in again) meanwhile, or a refresh meets a needs-login: stale.
      if (!o || !this.sessions.isCurrent(name, generation)) return false;
      if (how === 'refresh' && o.state !== 'signed-in') return false;
      if (how === 'login') this.sessions.advance(name);
      await this.writeTokens(name, tokens, how, commit);
      return true;
    });
  }

  private async writeTokens(
    name: string,
    tokens: OAuthTokens,
    how: 'login' | 'refresh',
    commit?: (o: OAuthAccountInfo) => void,
  ): Promise<void> {
    const ctx = this.ctx;
    const now = ctx.now();
    const expiresAt =
      tokens.expires_in !== undefined
        ? new Date(now.getTime() + tokens.expires_in * 1000).toISOString()
        : null;
    const version = newVersion(tokens.access_token, now, null, expiresAt);
    await ctx.secrets.set(secretNames.keyVersion(version.id), tokens.access_token);
    if (tokens.refresh_token)
      await ctx.secrets.set(
        oauthSecretNames.refreshToken(ctx.secretScope, name),
        tokens.refresh_token,
      );
    ctx.versions.prime(version.id, tokens.access_token);
    const dropped: string[] = [];
    await ctx.store.update((doc) => {
      const key = lookupKey(doc, oauthKeyRef(name));
      const account = lookupAccount(doc, name);
      if (!key || !account?.oauth) throw new KeywayError('not_found', `no OAuth account "${name}"`);
      for (const v of key.versions) if (v.state === 'active') v.state = 'revoked';
      key.versions.push(version);
      key.refusedAt = null;
      while (key.versions.length > KEPT_VERSIONS) dropped.push(key.versions.shift()!.id);
      // Superseded access tokens are forgotten at once: they only lived for the proxy.
      for (const v of key.versions) if (v.id !== version.id) dropped.push(v.id);
      const o: OAuthAccountInfo = account.oauth;
      o.state = 'signed-in';
      o.reason = null;
      o.expiresAt = expiresAt;
      if (tokens.scope) o.grantedScopes = boundedScopes(tokens.scope);
      commit?.(o);
      if (how === 'login') {
        o.lastLoginAt = now.toISOString();
        o.subject = subjectFromIdToken(tokens.id_token) ?? o.subject;
        // Scopes a step-up asked for are kept for every later login.
        o.scopes = [...new Set([...o.scopes, ...o.wantedScopes])];
        o.wantedScopes = [];
      } else o.lastRefreshAt = now.toISOString();
    });
    for (const id of new Set(dropped)) {
      await ctx.secrets
        .delete(secretNames.keyVersion(id))
        .catch((err: unknown) =>
          ctx.log.warn(`could not delete the superseded access token ${id} of "${name}"`, err),
        );
      ctx.versions.forget(id);
    }
    await announce(
      ctx,
      {
        event: how === 'login' ? 'oauth.login' : 'oauth.refreshed',
        key: oauthKeyRef(name),
        client: null,
        account: name,
        detail: {
          fingerprint: version.fingerprint,
          expiresAt,
          newRefreshToken: tokens.refresh_token !== undefined,
        },
      },
      'accounts',
      'keys',
    );
    this.schedule(name);
  }

  /** A dead refresh token or missing scopes: no retry loop, the user is asked to log in. */
  async needsLogin(name: string, why: string, wantedScopes: string[] = []): Promise<void> {
    this.clearTimer(name);
    const reason = untrustedText(why, 400);
    await this.sessions.exclusive(name, () => this.markNeedsLogin(name, reason, wantedScopes));
  }

  private async markNeedsLogin(
    name: string,
    reason: string,
    wantedScopes: string[],
  ): Promise<void> {
    let entered = false;
    let moreScopes = false;
    await this.ctx.store.update((doc) => {
      const o = lookupAccount(doc, name)?.oauth;
      // Signed out stays signed out: a late 401 or 403 does not turn it into "needs login".
      if (!o || o.state === 'signed-out') return;
      const wanted = [...new Set([...o.wantedScopes, ...wantedScopes])];
      moreScopes = wanted.length > o.wantedScopes.length;
      o.wantedScopes = wanted;
      // The first reason is the one that says what to fix (a refused refresh, say); a later
      // refusal (the proxy's 401 that follows it) says less, so it does not overwrite it.
      if (o.state === 'needs-login') return;
      o.state = 'needs-login';
      o.reason = reason;
      entered = true;
    });
    if (!entered) {
      if (moreScopes) this.ctx.events.emit('state.changed', { what: 'accounts' });
      return;
    }
    await record(this.ctx, {
      event: 'oauth.needs-login',
      key: oauthKeyRef(name),
      client: null,
      account: name,
      detail: { reason },
    });
    this.ctx.events.emit('account.needsLogin', { account: name, reason });
    this.ctx.events.emit('state.changed', { what: 'accounts' });
  }

  /** Arms the refresh timer ahead of the current token's expiry (or after `inMs`). */
  schedule(name: string, inMs?: number): void {
    this.clearTimer(name);
    if (this.stopped) return;
    const o = lookupAccount(this.ctx.store.current, name)?.oauth;
    if (o?.state !== 'signed-in' || (!o.expiresAt && inMs === undefined)) return;
    let delay = inMs;
    if (delay === undefined) {
      const expires = new Date(o.expiresAt!).getTime();
      const key = lookupKey(this.ctx.store.current, oauthKeyRef(name));
      const created = new Date(key ? (currentVersion(key)?.created ?? 0) : 0).getTime();
      delay = expires - refreshLeadMs(expires - created) - this.ctx.now().getTime();
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(name);
        void this.refresh(name, true).catch((err: unknown) =>
          this.ctx.log.warn(`the timed refresh of account "${name}" failed`, err),
        );
      },
      Math.max(0, delay),
    );
    timer.unref();
    this.timers.set(name, timer);
  }

  clearTimer(name: string): void {
    const t = this.timers.get(name);
    if (t) clearTimeout(t);
    this.timers.delete(name);
  }

  accountOrThrow(name: string): Account & { oauth: OAuthAccountInfo } {
    const account = findAccount(this.ctx.store.current, name);
    if (!account.oauth)
      throw new KeywayError(
        'bad_input',
        `account "${name}" does not use OAuth (add one with --auth oauth)`,
        'name',
      );
    return account as Account & { oauth: OAuthAccountInfo };
  }
}
