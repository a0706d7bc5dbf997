import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/error-note';
import { slugFor } from '../../lib/names';
import { useAction } from '../../lib/use-action';
import { useKeys, useStores } from '../../stores/hooks';

export function NewConnectionForm() {
  const stores = useStores();
  const keys = useKeys((s) => s.keys);
  const [keyRef, setKeyRef] = useState('');
  const [slug, setSlug] = useState('');
  const { run, busy, error } = useAction(
    (input: { slug: string; key: string }) => stores.connections.getState().add(input),
    { success: (view) => `Connection ${view.slug} added` },
  );
  const chosen = keyRef || keys[0]?.ref || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run({ slug: slug || slugFor(chosen), key: chosen }).then((view) => view && setSlug(''));
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New connection">
      <div className="field">
        <label htmlFor="new-conn-key">Key</label>
        <select id="new-conn-key" value={chosen} onChange={(e) => setKeyRef(e.target.value)}>
          {keys.map((k) => (
            <option key={k.ref} value={k.ref}>
              {k.ref}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-conn-slug">Connection name (in the URL)</label>
        <input
          id="new-conn-slug"
          value={slug}
          placeholder={slugFor(chosen)}
          onChange={(e) => setSlug(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={busy || !chosen}>
        Add connection
      </button>
      <ErrorNote message={error} title="Not added:" />
    </form>
  );
}
