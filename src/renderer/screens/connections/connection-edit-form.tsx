import { useId, useState, type FormEvent } from 'react';
import type { ConnectionView } from '../../../shared/contract';
import { FormActions } from '../../components/form-actions';
import { useAction } from '../../lib/use-action';
import { useKeys, useStores } from '../../stores/hooks';

/** Points a connection at another upstream URL or key; its clients keep their tokens. */
export function ConnectionEditForm(props: { connection: ConnectionView; onDone: () => void }) {
  const stores = useStores();
  const id = useId();
  const c = props.connection;
  const keys = useKeys((s) => s.keys);
  const [upstream, setUpstream] = useState(c.upstream);
  const [key, setKey] = useState(c.key);
  const { run, busy, error } = useAction(
    () =>
      stores.connections.getState().update({
        slug: c.slug,
        ...(upstream !== c.upstream ? { upstream } : {}),
        ...(key !== c.key ? { key } : {}),
      }),
    { success: `Connection ${c.slug} saved; its clients keep their tokens` },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run().then((saved) => saved && props.onDone());
  };
  return (
    <form className="stack subform" onSubmit={submit} aria-label={`Edit connection ${c.slug}`}>
      <div className="field">
        <label htmlFor={`${id}-up`}>Upstream MCP URL</label>
        <input
          id={`${id}-up`}
          type="url"
          value={upstream}
          aria-describedby={`${id}-up-help`}
          onChange={(e) => setUpstream(e.target.value)}
        />
        <span id={`${id}-up-help`} className="field-help">
          Left as it is, a key from another account moves the connection to that account&apos;s MCP
          URL. A URL on another server is used only with the key chosen here.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-key`}>Key</label>
        <select id={`${id}-key`} value={key} onChange={(e) => setKey(e.target.value)}>
          {keys.map((k) => (
            <option key={k.ref} value={k.ref}>
              {k.ref}
            </option>
          ))}
        </select>
      </div>
      <FormActions
        error={error}
        errorTitle="Not saved:"
        submitLabel="Save"
        disabled={busy}
        onCancel={props.onDone}
      />
    </form>
  );
}
