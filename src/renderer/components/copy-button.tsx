import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard';
import { errorMessage } from '../api/error-message';

/** Copies `text`; says so next to the button (and to screen readers) for two seconds. */
export function CopyButton(props: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | { error: string }>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <span className="copy">
      <button
        type="button"
        className={props.className ?? 'button small'}
        onClick={() => {
          copyText(props.text).then(
            () => setState('copied'),
            (err: unknown) => setState({ error: errorMessage(err) }),
          );
        }}
      >
        {props.label}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied' : typeof state === 'object' ? state.error : ''}
      </span>
    </span>
  );
}
