import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../lib/use-action';
import { parseRotationPeriod, ROTATION_MEANS } from '../../lib/rotation-period';
import { useClients, useSettings, useStores, useUi } from '../../stores/hooks';
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
        {kc ? (
          <dl className="facts">
            <dt>Backend</dt>
            <dd>{kc.backend}</dd>
          </dl>
        ) : null}
      </section>
      {status ? (
        <section aria-labelledby="about-title" className="card">
          <h3 id="about-title">This Keyway</h3>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{status.version}</dd>
            <dt>Address</dt>
            <dd className="mono">{status.url ?? '—'}</dd>
            <dt>Data directory</dt>
            <dd className="mono">{status.dataDir}</dd>
          </dl>
        </section>
      ) : null}
    </section>
  );
}

/** Keyed by the saved values, so it starts from them again after a save or an outside change. */
function ProxyForm(props: { settings: SettingsView; running: boolean; port: number | null }) {
  const stores = useStores();
  // The store's own array (a filtered copy per render would make the store re-render forever).
  const allClients = useClients((s) => s.clients);
  const clients = useMemo(() => allClients.filter((c) => !c.revokedAt), [allClients]);
  const [port, setPort] = useState(String(props.settings.proxyPort));
  const saved = props.settings.defaultRotateEvery;
  const [rotate, setRotate] = useState(saved === null ? '' : String(saved));
  const [never, setNever] = useState(saved === null);
  const { run, busy, error } = useAction(
    (patch: { proxyPort: number; defaultRotateEvery: number | null }) =>
      stores.settings.getState().update(patch),
    { success: 'Settings saved' },
  );
  const portCheck = checkPort(port);
  const rotation = parseRotationPeriod(rotate, never);
  const movesPort = portCheck.ok && portCheck.port !== (props.port ?? props.settings.proxyPort);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!portCheck.ok || !rotation.ok) return;
    void run({ proxyPort: portCheck.port, defaultRotateEvery: rotation.rotateEvery });
  };

  return (
    <form className="stack settings" onSubmit={save} aria-label="Proxy and rotation" noValidate>
      <div className="field">
        <label htmlFor="set-port">Proxy port</label>
        <input
          id="set-port"
          type="number"
          min={MIN_PORT}
          max={65535}
          value={port}
          aria-invalid={!portCheck.ok}
          aria-describedby="set-port-help"
          onChange={(e) => setPort(e.target.value)}
        />
        <span id="set-port-help" className={portCheck.ok ? 'field-help' : 'field-help warn-text'}>
          {portCheck.ok
            ? 'The port on 127.0.0.1 for the proxy, control API and web UI, from the next start on (a port given at start, keyway serve --port or KEYWAY_PORT, wins). '
            : `${portCheck.message} `}
          Now: {props.running ? `running on ${props.port ?? '?'}` : 'not running'}.
        </span>
      </div>
      {movesPort && clients.length > 0 ? (
        <PortMoveNote port={portCheck.port} clients={clients.map((c) => c.name)} />
      ) : null}
      <div className="field">
        <label htmlFor="set-rotate">Default rotation period (days)</label>
        <input
          id="set-rotate"
          type="number"
          min={1}
          max={3650}
          value={rotate}
          disabled={never}
          aria-invalid={!rotation.ok}
          aria-describedby="set-rotate-help"
          onChange={(e) => setRotate(e.target.value)}
        />
        <span id="set-rotate-help" className={rotation.ok ? 'field-help' : 'field-help warn-text'}>
          {rotation.ok ? `New keys start with this policy. ${ROTATION_MEANS}` : rotation.message}
        </span>
      </div>
      <label className="field checkbox">
        <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} />
        <span>Never rotate new keys on a schedule</span>
      </label>
      <ErrorNote message={error} title="Not saved:" />
      <div>
        <button
          type="submit"
          className="button primary"
          disabled={busy || !portCheck.ok || !rotation.ok}
        >
          Save settings
        </button>
      </div>
    </form>
  );
}

const MIN_PORT = 1024;

function checkPort(text: string): { ok: true; port: number } | { ok: false; message: string } {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim())) return { ok: false, message: 'Enter a port number.' };
  if (n < MIN_PORT)
    return {
      ok: false,
      message: `Ports below ${MIN_PORT} need administrator rights: choose ${MIN_PORT}–65535.`,
    };
  if (n > 65535) return { ok: false, message: 'The highest port is 65535.' };
  return { ok: true, port: n };
}

/**
 * Installed client configs carry the proxy URL with its port: after the move they point at
 * nothing until installed again. Keyway cannot rewrite them from here (the CLI edits those
 * files), so this says exactly what to run, per client.
 */
function PortMoveNote(props: { port: number; clients: string[] }) {
  const commands = props.clients.map((c) => `keyway client config ${c} --for KIND --install`);
  return (
    <div className="note note-warn" role="status">
      <p>
        After the restart on port {props.port}, the client configs you installed still point at the
        old port, so those clients fail until you install them again. For each, once Keyway runs on
        the new port (KIND is the client program: cursor, claude-desktop, vscode…):
      </p>
      <pre className="mono wrap-code">{commands.join('\n')}</pre>
    </div>
  );
}
