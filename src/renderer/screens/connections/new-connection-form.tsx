import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/error-message';
import { ErrorNote } from '../../components/error-note';
import { slugFor } from '../../lib/names';
import { useKeys, useStores } from '../../stores/hooks';

export function NewConnectionForm() {
  const stores = useStores();
  const keys = useKeys((s) => s.keys);
  const [keyRef, setKeyRef] = useState('');
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = keyRef || keys[0]?.ref || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const finalSlug = slug || slugFor(chosen);
    stores.connections
      .getState()
      .add({ slug: finalSlug, key: chosen })
      .then(
        () => {
          setSlug('');
          stores.notices.getState().push('success', `Connection ${finalSlug} added`);
        },
        (err: unknown) => setError(errorMessage(err)),
      )
      .finally(() => setBusy(false));
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
