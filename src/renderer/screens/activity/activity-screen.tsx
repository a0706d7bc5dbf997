import { useEffect, useMemo } from 'react';
import type { AuditEntry } from '../../../shared/domain';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { formatDate } from '../../lib/format';
import { useActivity, useClients, useKeys, useStores } from '../../stores/hooks';

const COMMON_EVENTS = [
  'account.added',
  'key.added',
  'key.created',
  'key.rotated',
  'key.revoked',
  'key.refused',
  'connection.added',
  'client.added',
  'client.revoked',
];

export function ActivityScreen() {
  const stores = useStores();
  const entries = useActivity((s) => s.entries);
  const filter = useActivity((s) => s.filter);
  const loaded = useActivity((s) => s.loaded);
  const error = useActivity((s) => s.error);
  const keys = useKeys((s) => s.keys);
  const clients = useClients((s) => s.clients);
  useEffect(() => void stores.activity.getState().load(), [stores]);
  const events = useMemo(
    () => [...new Set([...COMMON_EVENTS, ...entries.map((e) => e.event)])].sort(),
    [entries],
  );
  const newestFirst = useMemo(() => [...entries].reverse(), [entries]);
  const setFilter = (patch: Partial<typeof filter>) =>
    void stores.activity.getState().setFilter(patch);
  const filtered = Boolean(filter.key || filter.client || filter.event);

  return (
    <section className="screen" aria-labelledby="activity-title">
      <div className="screen-head">
        <h2 id="activity-title">Activity</h2>
      </div>
      <form
        className="inline-form"
        aria-label="Filter activity"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="act-key">Key</label>
          <select
            id="act-key"
            value={filter.key}
            onChange={(e) => setFilter({ key: e.target.value })}
          >
            <option value="">All keys</option>
            {keys.map((k) => (
              <option key={k.ref} value={k.ref}>
                {k.ref}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="act-client">Client</label>
          <select
            id="act-client"
            value={filter.client}
            onChange={(e) => setFilter({ client: e.target.value })}
          >
            <option value="">All clients</option>
            {clients.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="act-event">Event</label>
          <select
            id="act-event"
            value={filter.event}
            onChange={(e) => setFilter({ event: e.target.value })}
          >
            <option value="">All events</option>
            {events.map((ev) => (
              <option key={ev} value={ev}>
                {ev}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNote message={error} title="Could not read the audit log:" />
      {loaded && entries.length === 0 ? (
        <EmptyState title={filtered ? 'Nothing matches' : 'No activity yet'}>
          <p>
            {filtered
              ? 'No audit entry matches these filters.'
              : 'Everything Keyway does — keys added, rotated, revoked; clients added — is recorded here as it happens.'}
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit log">
          <table className="table">
            <caption className="sr-only">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Key</th>
                <th scope="col">Client</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((e, i) => (
                <tr key={`${e.at}-${e.event}-${i}`}>
                  <td className="mono">{formatDate(e.at)}</td>
                  <td>{e.event}</td>
                  <td>{e.key ?? '—'}</td>
                  <td>{e.client ?? '—'}</td>
                  <td className="detail">{detailText(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function detailText(e: AuditEntry): string {
  const parts: string[] = [];
  if (e.account) parts.push(`account ${e.account}`);
  if (e.connection) parts.push(`connection ${e.connection}`);
  for (const [k, v] of Object.entries(e.detail ?? {})) {
    const text =
      typeof v === 'string' ? v : Array.isArray(v) ? v.map(String).join(', ') : JSON.stringify(v);
    parts.push(`${k} ${text}`);
  }
  return parts.join(' · ');
}
