import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KeywayApi } from '../../shared/contract';
import type { SignInTab } from '../lib/sign-in-tab';

/** One OAuth account's login in progress (or its last failure) as the UI shows it. */
export interface OAuthLoginView {
  busy: boolean;
  /** The authorization URL, shown in case the browser did not open. Not a secret. */
  authorize: string | null;
  error: string | null;
}

export interface OAuthState {
  logins: Record<string, OAuthLoginView>;
  /**
   * Starts the login; resolves when it finished. With `tab` (the web UI) the authorization page
   * opens there and the service opens nothing; without, the service opens the system browser.
   */
  login(name: string, tab?: SignInTab | null): Promise<boolean>;
  logout(name: string): Promise<void>;
  /** A service account (client credentials): a new token now, no browser. */
  fetchToken(name: string): Promise<void>;
}

export type OAuthStore = StoreApi<OAuthState>;
type OAuthApi = Pick<
  KeywayApi,
  'account.login' | 'account.awaitLogin' | 'account.logout' | 'account.fetchToken'
>;

const IDLE: OAuthLoginView = { busy: false, authorize: null, error: null };

/**
 * Log in / Log out for OAuth accounts. The tokens never come here: the service keeps them and
 * the account list (reloaded on `state.changed`) carries only the state and the expiry.
 */
export function createOAuthStore(api: OAuthApi): OAuthStore {
  return createStore<OAuthState>()((set, get) => {
    const patch = (name: string, view: Partial<OAuthLoginView>) =>
      set({ logins: { ...get().logins, [name]: { ...(get().logins[name] ?? IDLE), ...view } } });
    return {
      logins: {},
      async login(name, tab) {
        patch(name, { busy: true, error: null, authorize: null });
        try {
          const started = await api['account.login']({ name, openBrowser: !tab });
          tab?.navigate(started.authorize);
          patch(name, { authorize: started.authorize });
          for (;;) {
            const outcome = await api['account.awaitLogin']({ name, loginId: started.loginId });
            if (!outcome.done) continue;
            patch(name, { busy: false, authorize: null, error: outcome.ok ? null : outcome.error });
            return outcome.ok;
          }
        } catch (err) {
          tab?.close();
          patch(name, { busy: false, authorize: null, error: (err as Error).message });
          return false;
        }
      },
      async fetchToken(name) {
        patch(name, { busy: true, error: null });
        try {
          await api['account.fetchToken']({ name });
          patch(name, { busy: false });
        } catch (err) {
          patch(name, { busy: false, error: (err as Error).message });
        }
      },
      async logout(name) {
        patch(name, { busy: true, error: null });
        try {
          await api['account.logout']({ name });
          patch(name, { busy: false });
        } catch (err) {
          patch(name, { busy: false, error: (err as Error).message });
        }
      },
    };
  });
}
