// The OAuth service's per-account state machine, on an in-memory store and keychain: which
// transitions a refusal, a step-up and a logout make, what the user is told, and what is
// recorded. (A refresh against a real authorization server: test/integration/oauth-*.test.ts.)
import { describe, expect, it } from 'vitest';
import { signedOutOAuth, type AuditEntry, type OAuthAccountInfo } from '../../src/shared/domain';
import type { KeywayEvent } from '../../src/shared/contract';
import { EventBus } from '../../src/main/core/events';
import { VersionSecrets } from '../../src/main/core/keychain/version-secrets';
import { createLogger } from '../../src/main/core/log/logger';
import { MetadataStore } from '../../src/main/core/store/metadata-store';
import { emptyDocument } from '../../src/main/core/store/store-document';
import { oauthKeyRef } from '../../src/main/core/oauth/oauth-secrets';
import { OAuthService } from '../../src/main/core/service/oauth-accounts/oauth-service';
import {
  oauthInsufficientScope,
  oauthTokenRefused,
} from '../../src/main/core/service/proxy-seam/oauth-proxy-link';
import { MapSecrets } from '../support/rotation-fakes';

const NAME = 'acme';

function oauthInfo(state: OAuthAccountInfo['state']): OAuthAccountInfo {
  return {
    ...signedOutOAuth(['mcp']),
    state,
    grantedScopes: ['mcp'],
    clientId: 'client-1',
    clientSource: 'dynamic',
    redirectUri: 'http://127.0.0.1:8931/oauth/callback',
    issuer: 'https://login.example.test',
    resource: 'https://mcp.example.test/mcp',
    subject: 'user-1',
    lastLoginAt: '2026-01-01T00:00:00.000Z',
  };
}

function service(state: OAuthAccountInfo['state'] = 'signed-in') {
  const doc = emptyDocument();
  doc.accounts.push({
    name: NAME,
    vendor: 'custom',
    apiUrl: 'https://mcp.example.test',
    mcpUrl: 'https://mcp.example.test/mcp',
    serviceAccount: false,
    hasCredential: false,
    credentialScopes: null,
    oauth: oauthInfo(state),
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  doc.keys.push({
    ref: oauthKeyRef(NAME),
    account: NAME,
    name: 'oauth',
    vendor: 'custom',
    scopes: [],
    options: {},
    rotateEvery: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    versions: [],
    refusedAt: null,
  });
  const audit: AuditEntry[] = [];
  const events: KeywayEvent[] = [];
  const logged: string[] = [];
  const bus = new EventBus();
  bus.subscribe((e) => events.push(e));
  const secrets = new MapSecrets();
  const oauth = new OAuthService({
    store: MetadataStore.inMemory(doc),
    secrets,
    auditLog: { append: async (e) => void audit.push(e) },
    events: bus,
    versions: new VersionSecrets(secrets),
    log: createLogger((line) => logged.push(line), 'debug'),
    vendor: () => {
      throw new Error('no vendor API in these tests');
    },
    secretScope: 'scope',
    now: () => new Date(),
    runtime: () => ({ baseUrl: null }),
  });
  const account = () => oauth.ctx.store.current.accounts.find((a) => a.name === NAME)!.oauth!;
  return { oauth, account, audit, events, logged };
}

describe('OAuth state machine', () => {
  it('signed in → needs login: the reason is kept, audited once and announced', async () => {
    const { oauth, account, audit, events } = service();
    await oauth.needsLogin(NAME, 'the authorization server refused the refresh: invalid_grant');
    expect(account()).toMatchObject({
      state: 'needs-login',
      reason: 'the authorization server refused the refresh: invalid_grant',
    });
    expect(audit.map((e) => e.event)).toEqual(['oauth.needs-login']);
    expect(events).toContainEqual({
      type: 'account.needsLogin',
      payload: {
        account: NAME,
        reason: 'the authorization server refused the refresh: invalid_grant',
      },
    });
  });

  it('needs login keeps the first reason: a later refusal does not overwrite what to fix', async () => {
    const { oauth, account, audit } = service();
    await oauth.needsLogin(NAME, 'the authorization server refused the refresh: invalid_grant');
    await oauthTokenRefused(oauth, NAME);
    await oauth.needsLogin(NAME, 'the server refused the access token');
    expect(account().reason).toBe('the authorization server refused the refresh: invalid_grant');
    expect(audit.map((e) => e.event)).toEqual(['oauth.needs-login']);
  });

  it('a step-up while waiting for a login adds its scopes to the next login, keeping the reason', async () => {
    const { oauth, account, events } = service();
    await oauth.needsLogin(NAME, 'the authorization server refused the refresh: invalid_grant');
    const before = events.length;
    await oauthInsufficientScope(
      oauth,
      NAME,
      'v1',
      'Bearer error="insufficient_scope", scope="files"',
    );
    expect(account()).toMatchObject({
      reason: 'the authorization server refused the refresh: invalid_grant',
      wantedScopes: ['files'],
    });
    expect(events.slice(before)).toContainEqual({
      type: 'state.changed',
      payload: { what: 'accounts' },
    });
  });

  it('signed out stays signed out: a late 401 or 403 does not ask for a login', async () => {
    const { oauth, account, audit } = service('signed-out');
    await oauthTokenRefused(oauth, NAME);
    await oauthInsufficientScope(oauth, NAME, 'v1', 'Bearer error="insufficient_scope" scope="x"');
    expect(account()).toMatchObject({ state: 'signed-out', reason: null, wantedScopes: [] });
    expect(audit).toEqual([]);
  });

  it('a 403 insufficient_scope asks for a login with the scopes the server named', async () => {
    const { oauth, account } = service();
    await oauthInsufficientScope(
      oauth,
      NAME,
      'v1',
      'Bearer error="insufficient_scope", scope="mcp files:write"',
    );
    expect(account()).toMatchObject({
      state: 'needs-login',
      reason: 'the server wants more scopes (mcp files:write)',
      wantedScopes: ['mcp', 'files:write'],
    });
  });

  it('a 401 while refreshes are failing is the back-off’s business: still signed in', async () => {
    const { oauth, account } = service();
    oauth.sessions.refreshFailed(NAME);
    await oauthTokenRefused(oauth, NAME);
    expect(account().state).toBe('signed-in');
  });

  it('a refresh is not tried for an account that is not signed in, nor during the back-off', async () => {
    const needs = service('needs-login');
    expect(await needs.oauth.refresh(NAME)).toBe(false);
    const failing = service();
    failing.oauth.sessions.refreshFailed(NAME);
    // No refresh token in the keychain: had it started, it would have asked for a login.
    expect(await failing.oauth.refresh(NAME)).toBe(false);
    expect(failing.account().state).toBe('signed-in');
    failing.oauth.stop();
  });
});
