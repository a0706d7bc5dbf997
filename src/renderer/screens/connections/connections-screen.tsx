import { useCallback } from 'react';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { usePoll } from '../../lib/use-now';
import { useConnections, useKeys, useStores } from '../../stores/hooks';
import { ConnectionCard } from './connection-card';
import { NewConnectionForm } from './new-connection-form';

export function ConnectionsScreen() {
  const stores = useStores();
  const connections = useConnections((s) => s.connections);
  const loaded = useConnections((s) => s.loaded);
  const error = useConnections((s) => s.error);
  const hasKeys = useKeys((s) => s.keys.length > 0);
  const loadStats = useCallback(() => void stores.connections.getState().loadStats(), [stores]);
  usePoll(loadStats, 3000);
  return (
    <section className="screen" aria-labelledby="connections-title">
      <div className="screen-head">
        <h2 id="connections-title">Connections and clients</h2>
      </div>
      <p className="lede">
        A connection is a local proxy URL for one key. Each AI client gets its own token for it, so
        you can revoke one client without touching the others — and no client ever holds the vendor
        key.
      </p>
      <ErrorNote message={error} title="Could not load connections:" />
      {hasKeys ? <NewConnectionForm /> : null}
      {loaded && connections.length === 0 ? (
        <EmptyState
          title="No connections yet"
          action={
            hasKeys ? null : (
              <button
                type="button"
                className="button primary"
                onClick={() => stores.ui.getState().go('create')}
              >
                Create a key first
              </button>
            )
          }
        >
          <p>
            {hasKeys
              ? 'Add a connection for a key above, then add a client (Cursor, Claude, VS Code…) to it.'
              : 'Connections route AI clients to a key. Create a key first; the wizard connects a client at the end.'}
          </p>
        </EmptyState>
      ) : (
        connections.map((c) => <ConnectionCard key={c.slug} connection={c} />)
      )}
    </section>
  );
}
