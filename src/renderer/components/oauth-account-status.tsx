import { useStore } from 'zustand';
import type { Account } from '../../shared/domain';
import { timeUntil } from '../lib/format';
import { useNow } from '../lib/use-now';
import { openSignInTab } from '../lib/sign-in-tab';
import type { Shell } from '../api/keyway-client';
import type { OAuthStore } from '../stores/oauth-store';
import { ErrorNote } from './error-note';

/** The one line a person reads about an OAuth account; null for other accounts. */
export function oauthStatusText(account: Account, now: Date): string | null {
  const o = account.oauth;
  if (!o) return null;
  if (o.clientCredentials && o.state !== 'signed-in')
    return o.state === 'needs-login'
      ? `Service account refused — ${o.reason ?? 'the server refused its secret or key'}; rotate it`
      : 'Service account without a token (logged out); get a new token';
  if (o.state === 'signed-out') return 'Not signed in';
  if (o.state === 'needs-login') {
    const more = o.wantedScopes.length > 0 ? ` (more scopes: ${o.wantedScopes.join(', ')})` : '';
    return `Needs login${more}${o.reason ? ` — ${o.reason}` : ''}`;
  }
  const cc = o.clientCredentials;
  const who = cc
    ? `Service account ${o.clientId ?? ''} (client credentials, ${cc.method}${cc.alg ? ` ${cc.alg}` : ''})`
    : o.subject
      ? `Signed in as ${o.subject}`
      : 'Signed in';
  if (!o.expiresAt) return who;
  const expired = Date.parse(o.expiresAt) <= now.getTime();
  return `${who}; token ${expired ? 'expired, refreshing' : `expires ${timeUntil(o.expiresAt, now)}`}`;
}

/**
 * An OAuth account's state with Log in / Log out. Self-contained: give it the account (from the
 * accounts store, which reloads on `state.changed`) and an OAuth store.
 */
export function OAuthAccountStatus(props: {
  account: Account;
  store: OAuthStore;
  /** The web UI opens the sign-in page in a tab of this browser; the desktop, the system one. */
  shell: Shell;
  now?: Date;
}) {
  const { account, store } = props;
  const ticking = useNow(10_000);
  const now = props.now ?? ticking;
  const view = useStore(store, (s) => s.logins[account.name]);
  const text = oauthStatusText(account, now);
  if (text === null) return null;
  const state = account.oauth?.state;
  const busy = view?.busy ?? false;
  // A service account gets its tokens by itself: "Get a token" instead of a browser login.
  const service = account.oauth?.clientCredentials !== undefined;
  return (
    <section className="oauth-status" aria-label={`OAuth: ${account.name}`}>
      <p role="status" className={state === 'needs-login' ? 'note note-warn' : undefined}>
        {text}
      </p>
      {view?.authorize ? (
        <p>
          Waiting for you to sign in. If no sign-in page opened,{' '}
          <a href={view.authorize} target="_blank" rel="noreferrer noopener">
            open the sign-in page
          </a>
          .
        </p>
      ) : null}
      <ErrorNote message={view?.error ?? null} title={service ? 'No token:' : 'Login failed:'} />
      <div className="actions">
        {service ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void store.getState().fetchToken(account.name)}
          >
            {busy ? 'Getting a token…' : 'Get a new token'}
            <span className="sr-only"> for {account.name}</span>
          </button>
        ) : state !== 'signed-in' ? (
          <button
            type="button"
            className="button small primary"
            disabled={busy}
            onClick={() => void store.getState().login(account.name, openSignInTab(props.shell))}
          >
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        ) : null}
        {state !== 'signed-out' ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => void store.getState().logout(account.name)}
          >
            Log out
          </button>
        ) : null}
      </div>
    </section>
  );
}
