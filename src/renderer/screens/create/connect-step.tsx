import { useId, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/error-note';
import { slugFor } from '../../lib/names';
import { useAction } from '../../lib/use-action';
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
  const { run, busy, error } = useAction((input: { slug: string; key: string }) =>
    stores.connections.getState().add(input),
  );
  const [connection, setConnection] = useState<string | null>(existing?.slug ?? null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const finalSlug =
      slug || slugFor(draft.keyName ? `${draft.vendor?.id ?? ''}-${draft.keyName}` : ref);
    void run({ slug: finalSlug, key: ref }).then((c) => c && setConnection(c.slug));
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
