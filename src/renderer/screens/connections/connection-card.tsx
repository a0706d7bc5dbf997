import { useState } from 'react';
import type { ConnectionView } from '../../../shared/contract';
import { CopyButton } from '../../components/copy-button';
import { relativeTime } from '../../lib/format';
import { runReported } from '../../lib/use-action';
import { useNow } from '../../lib/use-now';
import { useClients, useConnections, useStores } from '../../stores/hooks';
import { ConnectionEditForm } from './connection-edit-form';

export function ConnectionCard(props: { connection: ConnectionView }) {
  const stores = useStores();
  const c = props.connection;
  const counters = useConnections((s) => s.stats?.connections[c.slug]);
  const clientStats = useConnections((s) => s.stats?.clients);
  const allClients = useClients((s) => s.clients);
  const clients = allClients.filter((cl) => cl.connection === c.slug);
  const now = useNow();
  const titleId = `conn-${c.slug}`;
  const [editing, setEditing] = useState(false);
  return (
    <article className="card" aria-labelledby={titleId}>
      <div className="card-head">
        <h3 id={titleId}>{c.slug}</h3>
        <span className="muted">key {c.key}</span>
        <button
          type="button"
          className="button small"
          onClick={() => stores.ui.getState().open({ kind: 'add-client', connection: c.slug })}
        >
          Add client<span className="sr-only"> to {c.slug}</span>
        </button>
        <button
          type="button"
          className="button small"
          aria-expanded={editing}
          onClick={() => setEditing((e) => !e)}
        >
          Change upstream or key<span className="sr-only"> of {c.slug}</span>
        </button>
        <button
          type="button"
          className="button small danger"
          onClick={() =>
            void runReported(stores.notices, () => stores.connections.getState().remove(c.slug), {
              success: () => `Connection ${c.slug} removed`,
            })
          }
        >
          Remove<span className="sr-only"> connection {c.slug}</span>
        </button>
      </div>
      <div className="url-row">
        <code className="mono" aria-label={`Proxy URL of ${c.slug}`}>
          {c.url}
        </code>
        <CopyButton text={c.url} label={`Copy proxy URL of ${c.slug}`} />
      </div>
      {editing ? <ConnectionEditForm connection={c} onDone={() => setEditing(false)} /> : null}
      <dl className="counters">
        <div>
          <dt>Requests</dt>
          <dd>{counters?.requests ?? 0}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>{counters?.errors ?? 0}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{relativeTime(counters?.lastUsed, now)}</dd>
        </div>
        <div>
          <dt>Upstream</dt>
          <dd className="mono">{c.upstream}</dd>
        </div>
      </dl>
      {clients.length === 0 ? (
        <p className="muted">
          No client yet. Add one to get a token and the setup for Cursor, Claude, VS Code or Codex.
        </p>
      ) : (
        <table className="table">
          <caption className="sr-only">Clients of {c.slug}</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Added</th>
              <th scope="col">Requests</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.map((cl) => {
              const s = clientStats?.[cl.name];
              return (
                <tr key={cl.name} className={cl.revokedAt ? 'revoked' : ''}>
                  <th scope="row">
                    {cl.name}
                    {cl.revokedAt ? <span className="badge badge-refused">revoked</span> : null}
                  </th>
                  <td>{relativeTime(cl.createdAt, now)}</td>
                  <td>{s?.requests ?? 0}</td>
                  <td>{relativeTime(s?.lastUsed, now)}</td>
                  <td className="actions">
                    {cl.revokedAt ? null : (
                      <>
                        <button
                          type="button"
                          className="button small"
                          onClick={() =>
                            stores.ui.getState().open({ kind: 'client-setup', client: cl.name })
                          }
                        >
                          Set up<span className="sr-only"> {cl.name}</span>
                        </button>
                        <button
                          type="button"
                          className="button small danger"
                          onClick={() =>
                            void runReported(
                              stores.notices,
                              () => stores.clients.getState().revoke(cl.name),
                              { success: () => `Client ${cl.name} revoked` },
                            )
                          }
                        >
                          Revoke<span className="sr-only"> client {cl.name}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </article>
  );
}
