import { describe, expect, it } from 'vitest';
import type { Account, OAuthAccountInfo } from '../../shared/domain';
import { oauthNeedsLogin } from './oauth-attention';

const info = (over: Partial<OAuthAccountInfo>): OAuthAccountInfo => ({
  state: 'signed-in',
  reason: null,
  scopes: ['read'],
  wantedScopes: [],
  grantedScopes: [],
  clientId: 'c1',
  clientSource: 'dynamic',
  hasClientSecret: false,
  redirectUri: null,
  issuer: 'https://as.example',
  resource: 'https://mcp.example/mcp',
  subject: 'ada',
  expiresAt: null,
  lastLoginAt: null,
  lastRefreshAt: null,
  ...over,
});

const account = (oauth?: OAuthAccountInfo): Account => ({
  name: 'linear',
  vendor: 'custom',
  apiUrl: 'https://mcp.example',
  mcpUrl: 'https://mcp.example/mcp',
  serviceAccount: false,
  hasCredential: false,
  credentialScopes: null,
  createdAt: '2026-11-01T00:00:00Z',
  ...(oauth ? { oauth } : {}),
});

describe('the OAuth "needs login" attention item', () => {
  it('is raised for an account whose refresh was refused, with the reason and the scopes it wants', () => {
    const item = oauthNeedsLogin(
      account(
        info({
          state: 'needs-login',
          reason: 'the refresh token was refused',
          wantedScopes: ['write'],
        }),
      ),
    );
    expect(item).toMatchObject({
      kind: 'account-needs-login',
      severity: 'error',
      subject: 'linear',
      action: 'Log in',
      target: { screen: 'accounts', account: 'linear' },
    });
    expect(item?.detail).toContain('the refresh token was refused');
    expect(item?.detail).toContain('write');
  });

  it('stays quiet for a signed-in, a signed-out (never logged in) or an API-key account', () => {
    expect(oauthNeedsLogin(account(info({ state: 'signed-in' })))).toBeNull();
    expect(oauthNeedsLogin(account(info({ state: 'signed-out' })))).toBeNull();
    expect(oauthNeedsLogin(account())).toBeNull();
  });
});
