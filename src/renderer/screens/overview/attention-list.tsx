import type { AttentionItem } from '../../lib/attention';
import { useStores } from '../../stores/hooks';

/** What needs the user, most urgent first, each with the one action that resolves it. */
export function AttentionList(props: { items: AttentionItem[] }) {
  const stores = useStores();
  const act = (item: AttentionItem) => {
    const t = item.target;
    if (t.screen === 'keys') {
      if (item.action === 'Rotate' || item.action === 'Continue') {
        stores.ui.getState().showKey(t.key);
        stores.ui.getState().open({ kind: 'rotate', ref: t.key });
        const key = stores.keys.getState().keys.find((k) => k.ref === t.key);
        const vendor = stores.vendors.getState().vendors.find((v) => v.id === key?.vendor);
        if (item.action === 'Rotate' && vendor?.capabilities.mint)
          void stores.rotation.getState().rotate(t.key);
        return;
      }
      return stores.ui.getState().showKey(t.key);
    }
    stores.ui.getState().go(t.screen);
  };
  if (props.items.length === 0)
    return (
      <p className="note note-ok" role="status">
        Nothing needs you: every key is active and within its rotation period.
      </p>
    );
  return (
    <ul className="attention" aria-label="Needs attention">
      {props.items.map((item) => (
        <li key={`${item.kind}-${item.subject}`} className={`attention-item sev-${item.severity}`}>
          <div className="grow">
            <strong>{item.title}</strong>
            {item.detail ? <span className="sub">{item.detail}</span> : null}
          </div>
          <button type="button" className="button small" onClick={() => act(item)}>
            {item.action}
            <span className="sr-only"> {item.subject}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
