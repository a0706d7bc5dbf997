import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/error-message';
import { ErrorNote } from '../../components/error-note';
import { slugFor } from '../../lib/names';
import { useConnections, useStores } from '../../stores/hooks';
import { AddClientForm } from '../connections/add-client-form';
import { draftRef, type StepProps } from './wizard-draft';

/** A proxy route for the new key, then a client with its token (shown once) and setup. */
export function ConnectStep({ draft, done }: StepProps & { done: () => void }) {
  const stores = useStores();
  const id = useId();
  const ref = draftRef(draft);
  const existing = useConnections((s) => s.connections.find((c) => c.key === ref));
  const [slug, setSlug] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [connection, setConnection] = useState<string | null>(existing?.slug ?? null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const finalSlug =
      slug || slugFor(draft.keyName ? `${draft.vendor?.id ?? ''}-${draft.keyName}` : ref);
    setBusy(true);
    setError(null);
    stores.connections
      .getState()
      .add({ slug: finalSlug, key: ref })
      .then(
        (c) => setConnection(c.slug),
        (err: unknown) => setError(errorMessage(err)),
      )
      .finally(() => setBusy(false));
  };

  return (
    <div className="stack">
      {connection ? (
        <>
          <p className="note note-ok">
            Connection <strong>{connection}</strong> routes to {ref}.
          </p>
          <AddClientForm connection={connection} />
        </>
      ) : (
        <form className="stack" onSubmit={submit} aria-label="New connection">
          <div className="field">
            <label htmlFor={`${id}-slug`}>Connection name (in the proxy URL)</label>
            <input
              id={`${id}-slug`}
              value={slug}
              placeholder={slugFor(`${draft.vendor?.id ?? ''}-${draft.keyName}`)}
              onChange={(e) => setSlug(e.target.value)}
            />
          </div>
          <ErrorNote message={error} title="Not added:" />
          <div>
            <button type="submit" className="button primary" disabled={busy}>
              Create connection
            </button>
          </div>
        </form>
      )}
      <div>
        <button type="button" className="button" onClick={done}>
          Done — go to keys
        </button>
      </div>
    </div>
  );
}
