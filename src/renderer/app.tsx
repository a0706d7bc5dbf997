import { useEffect, useRef, useSyncExternalStore } from 'react';
import { Notices } from './components/notices';
import { Dialogs } from './dialogs';
import { AccountsScreen } from './screens/accounts/accounts-screen';
import { ActivityScreen } from './screens/activity/activity-screen';
import { ConnectionsScreen } from './screens/connections/connections-screen';
import { CreateKeyScreen } from './screens/create/create-key-screen';
import { KeysScreen } from './screens/keys/keys-screen';
import { OverviewScreen } from './screens/overview/overview-screen';
import { SettingsScreen } from './screens/settings/settings-screen';
import { useKeys, useSettings, useStores, useUi } from './stores/hooks';
import type { Screen } from './stores/ui-store';

const NAV: ReadonlyArray<{ id: Screen; title: string }> = [
  { id: 'overview', title: 'Overview' },
  { id: 'keys', title: 'Keys' },
  { id: 'accounts', title: 'Accounts' },
  { id: 'create', title: 'Create key' },
  { id: 'connections', title: 'Connections' },
  { id: 'activity', title: 'Activity' },
  { id: 'settings', title: 'Settings' },
];

export function App() {
  const stores = useStores();
  const screen = useUi((s) => s.screen);
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  const firstScreen = useRef(true);
  useEffect(() => {
    // A new section moves focus to its content; the first one leaves focus at the page start,
    // so Tab reaches the skip link first.
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [screen]);
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <h1 className="brand">Keyway</h1>
        <ServiceBadge />
        <ThemeToggle />
      </header>
      <nav className="nav" aria-label="Sections">
        <ul>
          {NAV.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                aria-current={screen === n.id ? 'page' : undefined}
                onClick={() => stores.ui.getState().go(n.id)}
              >
                {n.title}
                {n.id === 'keys' ? <AttentionCount /> : null}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {screen === 'overview' ? <OverviewScreen /> : null}
        {screen === 'keys' ? <KeysScreen /> : null}
        {screen === 'accounts' ? <AccountsScreen /> : null}
        {screen === 'create' ? <CreateKeyScreen /> : null}
        {screen === 'connections' ? <ConnectionsScreen /> : null}
        {screen === 'activity' ? <ActivityScreen /> : null}
        {screen === 'settings' ? <SettingsScreen /> : null}
      </main>
      <Notices />
      <Dialogs />
    </div>
  );
}

function ServiceBadge() {
  const status = useSettings((s) => s.status);
  const shell = useStores().client.shell;
  if (!status) return null;
  const kcOk = status.keychain.reachable;
  return (
    <p className="service">
      <span className={`dot ${status.proxy.running ? 'dot-ok' : 'dot-off'}`} aria-hidden="true" />
      {status.proxy.running ? `Proxy on port ${status.proxy.port ?? '?'}` : 'Proxy stopped'}
      <span className="sep" aria-hidden="true">
        ·
      </span>
      {kcOk ? 'Keychain ready' : 'Keychain unavailable'}
      <span className="sep" aria-hidden="true">
        ·
      </span>
      {shell === 'desktop' ? 'Desktop' : 'Web UI'}
    </p>
  );
}

function AttentionCount() {
  const n = useKeys((s) => s.keys.filter((k) => k.refusedAt !== null).length);
  if (n === 0) return null;
  return <span className="count-badge">{n} refused</span>;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Whether the system asks for dark, followed live (the label must match what is shown). */
function useSystemDark(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia?.(DARK_QUERY);
      query?.addEventListener('change', changed);
      return () => query?.removeEventListener('change', changed);
    },
    () => window.matchMedia?.(DARK_QUERY).matches ?? false,
    () => false,
  );
}

function ThemeToggle() {
  const stores = useStores();
  const theme = useUi((s) => s.theme);
  const systemDark = useSystemDark();
  const dark = theme === 'dark' || (theme === 'system' && systemDark);
  return (
    // A toggle with one fixed name and aria-pressed, so a screen reader says what the button is
    // and what state it is in: "Dark theme, toggle button, pressed" — including when the dark
    // theme comes from the system. Not a label that changes with the state: that reads as an
    // action, never announces the state, and with aria-pressed as well would say "Switch to
    // light theme, pressed", which is wrong (WAI-ARIA APG, button pattern). Never both.
    <button
      type="button"
      className="button small theme-toggle"
      aria-pressed={dark}
      onClick={() => stores.ui.getState().setTheme(dark ? 'light' : 'dark')}
    >
      {/* The state for the eye; hidden from the accessible name, which stays "Dark theme". */}
      <span className="toggle-mark" aria-hidden="true" />
      Dark theme
    </button>
  );
}
