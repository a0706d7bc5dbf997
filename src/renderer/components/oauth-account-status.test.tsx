import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LoginOutcome } from '../../shared/contract';
import { signedOutOAuth, type Account, type OAuthAccountInfo } from '../../shared/domain';
import { createOAuthStore } from '../stores/oauth-store';
import { OAuthAccountStatus, oauthStatusText } from './oauth-account-status';

const NOW = new Date('2026-11-23T12:00:00Z');

function account(oauth: Partial<OAuthAccountInfo> | null): Account {
  return {
    name: 'notes',
    vendor: 'custom',
    apiUrl: 'https://mcp.example.com/',
    mcpUrl: 'https://mcp.example.com/mcp',
    serviceAccount: false,
    hasCredential: false,
    credentialScopes: null,
    createdAt: NOW.toISOString(),
    ...(oauth
      ? {
          oauth: { ...signedOutOAuth(), ...oauth },
        }
      : {}),
  };
}

function fakeApi(outcomes: LoginOutcome[]) {
  const calls: string[] = [];
  const opened: boolean[] = [];
  return {
    calls,
    opened,
    api: {
      'account.login': async ({ name, openBrowser }: { name: string; openBrowser?: boolean }) => {
        calls.push(`login ${name}`);
        opened.push(openBrowser ?? false);
        return { loginId: 'l1', authorize: 'https://auth.example.com/authorize?x=1', opened: true };
      },
      'account.awaitLogin': async () => {
        calls.push('await');
        return outcomes.shift() ?? { done: false as const };
      },
      'account.logout': async ({ name }: { name: string }) => {
        calls.push(`logout ${name}`);
        return { account: account({}), revokedAtServer: true };
      },
      'account.fetchToken': async ({ name }: { name: string }) => {
        calls.push(`token ${name}`);
        return account({});
      },
    },
  };
}

function render(a: Account, store = createOAuthStore(fakeApi([]).api)): string {
  // Server rendering reads a store's initial snapshot: make that its current state.
  (store as { getInitialState: () => unknown }).getInitialState = store.getState;
  return renderToString(<OAuthAccountStatus account={a} store={store} shell="browser" now={NOW} />);
}

describe('OAuth account status', () => {
  it('says who is signed in and when the token expires, with Log out only', () => {
    const html = render(
      account({
        state: 'signed-in',
        subject: 'agent@example.com',
        expiresAt: '2026-11-23T12:45:00Z',
      }),
    );
    expect(html).toContain('Signed in as agent@example.com; token expires in 45 min');
    expect(html).toContain('>Log out</button>');
    expect(html).not.toContain('>Log in</button>');
  });

  it('shows "needs login" with the extra scopes and a Log in button', () => {
    const text = oauthStatusText(
      account({
        state: 'needs-login',
        wantedScopes: ['mcp:write'],
        reason: 'the server wants more scopes',
      }),
      NOW,
    );
    expect(text).toBe('Needs login (more scopes: mcp:write) — the server wants more scopes');
    const html = render(account({ state: 'needs-login', reason: 'refresh refused' }));
    expect(html).toContain('>Log in</button>');
    expect(html).toContain('role="status"');
  });

  it('renders nothing for an API-key account, and buttons stay keyboard-reachable', () => {
    expect(render(account(null))).toBe('');
    const html = render(account({ state: 'signed-out' }));
    // Styled like every other button (it used to be a bare, unstyled <button>).
    expect(html).toMatch(/<button type="button" class="button small primary">Log in<\/button>/);
    expect(html).not.toContain('tabindex="-1"');
  });

  it('from the web UI, the sign-in page opens in the user’s tab and the service opens nothing', async () => {
    const web = fakeApi([{ done: true, ok: true, account: account({}) }]);
    const tab: string[] = [];
    const navigate = (url: string) => void tab.push(url);
    const store = createOAuthStore(web.api);
    expect(await store.getState().login('notes', { navigate, close: () => undefined })).toBe(true);
    expect(web.opened).toEqual([false]);
    expect(tab).toEqual(['https://auth.example.com/authorize?x=1']);
    // The desktop (no tab): the service opens the system browser.
    const desktop = fakeApi([{ done: true, ok: true, account: account({}) }]);
    expect(await createOAuthStore(desktop.api).getState().login('notes')).toBe(true);
    expect(desktop.opened).toEqual([true]);
  });

  it('a login waits for the service, then clears; a refused one keeps the server’s error', async () => {
    const ok = fakeApi([{ done: false }, { done: true, ok: true, account: account({}) }]);
    const store = createOAuthStore(ok.api);
    expect(await store.getState().login('notes')).toBe(true);
    expect(ok.calls).toEqual(['login notes', 'await', 'await']);
    expect(store.getState().logins.notes).toEqual({ busy: false, authorize: null, error: null });

    const refused = fakeApi([
      { done: true, ok: false, error: 'access_denied: the user refused consent' },
    ]);
    const store2 = createOAuthStore(refused.api);
    expect(await store2.getState().login('notes')).toBe(false);
    expect(store2.getState().logins.notes?.error).toBe('access_denied: the user refused consent');
    expect(render(account({ state: 'signed-out' }), store2)).toContain(
      'access_denied: the user refused consent',
    );
  });
});
