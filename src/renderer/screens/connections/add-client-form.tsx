import { useId, useState, type FormEvent } from 'react';
import type { ClientCreated } from '../../../shared/contract';
import { ClientSetup } from '../../components/client-setup';
import { ErrorNote } from '../../components/error-note';
import { TokenOnce } from '../../components/token-once';
import { CLIENT_KINDS, type ClientKind } from '../../lib/client-snippets';
import { clientNameFor } from '../../lib/names';
import { useAction } from '../../lib/use-action';
import { useClients, useConnections, useStores } from '../../stores/hooks';

/**
 * Adds a client to a connection, then shows its token and setup once. The token lives only in
 * this component's state: it is gone when the dialog or wizard step unmounts.
 */
export function AddClientForm(props: { connection: string }) {
  const stores = useStores();
  const id = useId();
  const connection = useConnections((s) => s.connections.find((c) => c.slug === props.connection));
  const taken = useClients((s) => s.clients).map((c) => c.name);
  const [kind, setKind] = useState<ClientKind>('cursor');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ClientCreated | null>(null);
  const { run, busy, error } = useAction((client: string) =>
    stores.clients.getState().add(client, props.connection),
  );

  if (created && connection) {
    return (
      <div className="client-created">
        <TokenOnce client={created.name} token={created.token} />
        <h3>Set up {created.name}</h3>
        <ClientSetup
          slug={connection.slug}
          url={connection.url}
          token={created.token}
          initial={kind}
        />
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const finalName = name || clientNameFor(kind, taken);
    void run(finalName).then((c) => c && setCreated(c));
  };

  return (
    <form onSubmit={submit} className="stack" aria-label={`Add a client to ${props.connection}`}>
      <div className="field">
        <label htmlFor={`${id}-kind`}>AI client</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as ClientKind)}
        >
          {CLIENT_KINDS.map((c) => (
            <option key={c.kind} value={c.kind}>
              {c.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Client name</label>
        <input
          id={`${id}-name`}
          value={name}
          placeholder={clientNameFor(kind, taken)}
          aria-describedby={`${id}-name-help`}
          onChange={(e) => setName(e.target.value)}
        />
        <span id={`${id}-name-help`} className="field-help">
          The audit log names the client by this; one token per client.
        </span>
      </div>
      <ErrorNote message={error} title="Not added:" />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add client'}
      </button>
    </form>
  );
}
