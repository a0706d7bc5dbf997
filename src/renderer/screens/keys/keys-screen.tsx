import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { isUnsupported } from '../../api/error-message';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { copyText } from '../../lib/clipboard';
import { openSignInTab } from '../../lib/sign-in-tab';
import { keyMatches, keyStatus, keyUsages, rotationDue } from '../../lib/key-facts';
import { runReported } from '../../lib/use-action';
import { useNow, usePoll } from '../../lib/use-now';
import {
  useAccounts,
  useClients,
  useConnections,
  useKeys,
  useRotation,
  useStores,
  useUi,
  useVendors,
} from '../../stores/hooks';
import { KeysTable, type KeyRowActions, type KeyRowModel } from './keys-table';
import { WaitingRotations } from './waiting-rotations';

export function KeysScreen() {
  const stores = useStores();
  const keys = useKeys((s) => s.keys);
  const loaded = useKeys((s) => s.loaded);
  const error = useKeys((s) => s.error);
  const due = useKeys((s) => s.due);
  const vendors = useVendors((s) => s.vendors);
  const connections = useConnections((s) => s.connections);
  const stats = useConnections((s) => s.stats);
  const clients = useClients((s) => s.clients);
  const waiting = useRotation((s) => s.waiting);
  const accounts = useAccounts((s) => s.accounts);
  const now = useNow();
  // Opened at one key (attention list, a notification click): the list narrows to it.
  const focusKey = useUi((s) => s.focusKey);
  const [query, setQuery] = useState(focusKey ?? '');
  const [seenFocus, setSeenFocus] = useState(focusKey);
  if (focusKey !== seenFocus) {
    setSeenFocus(focusKey);
    if (focusKey) setQuery(focusKey);
  }
  useEffect(() => {
    if (!focusKey) return;
    const frame = requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`tr[data-key="${CSS.escape(focusKey)}"]`)?.focus(),
    );
    return () => cancelAnimationFrame(frame);
  }, [focusKey]);
  const deferredQuery = useDeferredValue(query);
  const loadStats = useCallback(() => void stores.connections.getState().loadStats(), [stores]);
  usePoll(loadStats, 5000);

  const models = useMemo<KeyRowModel[]>(() => {
    const usageOf = keyUsages(connections, clients, stats);
    const vendorName = new Map(vendors.map((v) => [v.id, v.displayName]));
    const rotationOf = new Map(waiting.map((r) => [r.key, r]));
    const accountOf = new Map(accounts.map((a) => [a.name, a]));
    return keys.map((key) => ({
      key,
      vendorName: vendorName.get(key.vendor) ?? key.vendor,
      status: keyStatus(key, rotationOf.get(key.ref), accountOf.get(key.account)),
      due: rotationDue(key, now, due[key.ref]),
      usage: usageOf(key.ref),
    }));
  }, [keys, vendors, waiting, accounts, now, due, connections, clients, stats]);
  const rows = useMemo(
    () => models.filter((m) => keyMatches(m.key, deferredQuery)),
    [models, deferredQuery],
  );

  const actions = useMemo<KeyRowActions>(() => {
    const notify = stores.notices.getState().push;
    return {
      rotate(ref) {
        const key = stores.keys.getState().keys.find((k) => k.ref === ref);
        const vendor = stores.vendors.getState().vendors.find((v) => v.id === key?.vendor);
        // One click for vendors with a key API; guided vendors need a pasted key first.
        if (vendor?.capabilities.mint) void stores.rotation.getState().rotate(ref);
        stores.ui.getState().open({ kind: 'rotate', ref });
      },
      revoke(ref) {
        stores.ui.getState().open({ kind: 'revoke', ref });
      },
      rotationPeriod(ref) {
        stores.ui.getState().open({ kind: 'rotation-period', ref });
      },
      copyUrl(ref) {
        const url = stores.connections.getState().connections.find((c) => c.key === ref)?.url;
        if (!url) {
          notify('info', `No connection uses ${ref} yet; add one under Connections`);
          return;
        }
        void runReported(stores.notices, () => copyText(url), {
          success: () => `Copied the proxy URL of ${ref}`,
        });
      },
      login(ref) {
        const account = ref.split('/')[0] ?? '';
        // The tab opens in the click itself (see openSignInTab); the outcome is a notice.
        const tab = openSignInTab(stores.client.shell);
        void stores.oauth
          .getState()
          .login(account, tab)
          .then((ok) => {
            if (ok) notify('success', `Signed in to ${account}; ${ref} has an access token`);
            else
              notify(
                'error',
                `Not signed in to ${account}: ${stores.oauth.getState().logins[account]?.error ?? 'the login did not finish'}`,
              );
          });
      },
      remove(ref) {
        void runReported(stores.notices, () => stores.keys.getState().remove(ref), {
          success: () => `Forgot ${ref}`,
        });
      },
      copyKey(ref) {
        if (stores.client.shell === 'browser') {
          notify(
            'info',
            'Copy key works only in the desktop app: the web UI never receives a key. Point your AI client at the proxy URL instead.',
          );
          return;
        }
        void runReported(stores.notices, () => stores.keys.getState().copy(ref), {
          success: (r) => `Copied ${ref}; the clipboard is cleared in ${r.clearAfterSeconds} s`,
          onError: (message, err) =>
            notify(
              isUnsupported(err) ? 'info' : 'error',
              isUnsupported(err)
                ? 'Copy key works only in the desktop app: the web UI never receives a key.'
                : message,
            ),
        });
      },
    };
  }, [stores]);

  return (
    <section className="screen" aria-labelledby="keys-title">
      <div className="screen-head">
        <h2 id="keys-title">Keys</h2>
        <input
          type="search"
          className="search"
          aria-label="Filter keys"
          placeholder="Filter by name, vendor, scope or fingerprint"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button
          type="button"
          className="button primary"
          onClick={() => stores.ui.getState().go('create')}
        >
          Create key
        </button>
      </div>
      <ErrorNote message={error} title="Could not load keys:" />
      <WaitingRotations />
      {loaded && keys.length === 0 ? (
        <EmptyState
          title="No keys yet"
          action={
            <button
              type="button"
              className="button primary"
              onClick={() => stores.ui.getState().go('create')}
            >
              Create your first key
            </button>
          }
        >
          <p>
            A key is what an AI agent uses to reach a vendor&apos;s MCP server. Keyway keeps it in
            the OS keychain, puts it on every request through its local proxy, and rotates it for
            you.
          </p>
          <p>Create one for a service account, then connect Cursor, Claude or another client.</p>
        </EmptyState>
      ) : (
        <>
          <p className="count" role="status">
            {rows.length === keys.length
              ? `${keys.length} key${keys.length === 1 ? '' : 's'}`
              : `${rows.length} of ${keys.length} keys match`}
          </p>
          <KeysTable rows={rows} now={now} shell={stores.client.shell} actions={actions} />
        </>
      )}
    </section>
  );
}
