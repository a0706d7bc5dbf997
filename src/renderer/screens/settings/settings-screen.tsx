import { useEffect, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../lib/use-action';
import { useSettings, useStores, useUi } from '../../stores/hooks';
import type { ThemeChoice } from '../../stores/ui-store';
import type { SettingsView } from '../../../shared/contract';

export function SettingsScreen() {
  const stores = useStores();
  const settings = useSettings((s) => s.settings);
  const status = useSettings((s) => s.status);
  const loadError = useSettings((s) => s.error);
  const theme = useUi((s) => s.theme);
  useEffect(() => void stores.settings.getState().loadStatus(), [stores]);
  const { run: setLogin, error } = useAction((launchAtLogin: boolean) =>
    stores.settings.getState().update({ launchAtLogin }),
  );

  const kc = status?.keychain;
  return (
    <section className="screen" aria-labelledby="settings-title">
      <div className="screen-head">
        <h2 id="settings-title">Settings</h2>
      </div>
      <ErrorNote message={loadError} title="Could not load settings:" />
      {settings ? (
        <ProxyForm
          key={`${settings.proxyPort}-${settings.defaultRotateEvery ?? ''}`}
          settings={settings}
          running={status?.proxy.running ?? false}
          port={status?.proxy.port ?? null}
        />
      ) : null}
      <ErrorNote message={error} title="Not saved:" />
      <div className="stack settings">
        <div className="field checkbox">
          <input
            id="set-login"
            type="checkbox"
            checked={settings?.launchAtLogin ?? false}
            disabled={!settings?.launchAtLoginSupported}
            aria-describedby="set-login-help"
            onChange={(e) => void setLogin(e.target.checked)}
          />
          <label htmlFor="set-login">Launch Keyway at login</label>
          <span id="set-login-help" className="field-help">
            {settings?.launchAtLoginSupported ? (
              'Starts the tray app when you log in, so the proxy is always there for your agents.'
            ) : (
              <>
                Only the desktop app can start at login; <code>keyway serve</code> is started by you
                or your service manager.
              </>
            )}
          </span>
        </div>
        <div className="field">
          <label htmlFor="set-theme">Theme</label>
          <select
            id="set-theme"
            value={theme}
            onChange={(e) => stores.ui.getState().setTheme(e.target.value as ThemeChoice)}
          >
            <option value="system">Match the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
      </div>
      <section aria-labelledby="keychain-title" className="card">
        <h3 id="keychain-title">Keychain</h3>
        {kc ? (
          <>
            <p>
              <span className={`badge ${kc.reachable ? 'badge-active' : 'badge-refused'}`}>
                {kc.reachable ? 'Reachable' : 'Unavailable'}
              </span>{' '}
              {kc.message}
            </p>
            {kc.fix ? <p className="note note-warn">{kc.fix}</p> : null}
          </>
        ) : (
          <p className="muted">Checking…</p>
        )}
        {status ? (
          <dl className="facts">
            <dt>Keychain</dt>
            <dd>{kc?.backend ?? '—'}</dd>
            <dt>Version</dt>
            <dd>{status.version}</dd>
            <dt>Data directory</dt>
            <dd className="mono">{status.dataDir}</dd>
            <dt>Address</dt>
            <dd className="mono">{status.url ?? '—'}</dd>
          </dl>
        ) : null}
      </section>
    </section>
  );
}

/** Keyed by the saved values, so it starts from them again after a save or an outside change. */
function ProxyForm(props: { settings: SettingsView; running: boolean; port: number | null }) {
  const stores = useStores();
  const [port, setPort] = useState(String(props.settings.proxyPort));
  const [rotate, setRotate] = useState(
    props.settings.defaultRotateEvery === null ? '' : String(props.settings.defaultRotateEvery),
  );
  const { run, busy, error } = useAction(
    (patch: { proxyPort: number; defaultRotateEvery: number | null }) =>
      stores.settings.getState().update(patch),
    { success: 'Settings saved; a new proxy port applies at the next start' },
  );

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run({
      proxyPort: Number(port),
      defaultRotateEvery: rotate.trim() === '' ? null : Number(rotate),
    });
  };

  return (
    <form className="stack settings" onSubmit={save} aria-label="Proxy and rotation">
      <div className="field">
        <label htmlFor="set-port">Proxy port</label>
        <input
          id="set-port"
          type="number"
          min={0}
          max={65535}
          value={port}
          aria-describedby="set-port-help"
          onChange={(e) => setPort(e.target.value)}
        />
        <span id="set-port-help" className="field-help">
          The port on 127.0.0.1 for the proxy, control API and web UI; applies at the next start.
          Now: {props.running ? `running on ${props.port ?? '?'}` : 'not running'}.
        </span>
      </div>
      <div className="field">
        <label htmlFor="set-rotate">Default rotation period (days)</label>
        <input
          id="set-rotate"
          type="number"
          min={1}
          max={3650}
          value={rotate}
          placeholder="never"
          aria-describedby="set-rotate-help"
          onChange={(e) => setRotate(e.target.value)}
        />
        <span id="set-rotate-help" className="field-help">
          New keys start with this policy; leave empty for no scheduled rotation.
        </span>
      </div>
      <ErrorNote message={error} title="Not saved:" />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          Save settings
        </button>
      </div>
    </form>
  );
}
