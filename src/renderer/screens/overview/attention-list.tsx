import type { AttentionItem } from '../../lib/attention';
import { openSignInTab } from '../../lib/sign-in-tab';
import { runReported } from '../../lib/use-action';
import type { Stores } from '../../stores';
import { useStores } from '../../stores/hooks';

/** Carries out an item's one action: go where it is resolved, or resolve it (Resume, Log in). */
function act(stores: Stores, item: AttentionItem): void {
  const t = item.target;
  const ui = stores.ui.getState();
  if ('do' in t) {
    void runReported(stores.notices, () => stores.settings.getState().setPaused(false), {
      success: () => 'The proxy is running again',
    });
    return;
  }
  if (t.screen === 'keys') {
    if (item.action === 'Rotate' || item.action === 'Continue') {
      ui.showKey(t.key);
      ui.open({ kind: 'rotate', ref: t.key });
      const key = stores.keys.getState().keys.find((k) => k.ref === t.key);
      const vendor = stores.vendors.getState().vendors.find((v) => v.id === key?.vendor);
      if (item.action === 'Rotate' && vendor?.capabilities.mint)
        void stores.rotation.getState().rotate(t.key);
      return;
    }
    return ui.showKey(t.key);
  }
  if (t.screen === 'accounts') {
    // Log in starts at once (the web UI's tab must open in this click); the Accounts screen
    // shows its progress and any error.
    ui.go('accounts');
    if (item.action === 'Log in')
      void stores.oauth.getState().login(t.account, openSignInTab(stores.client.shell));
    return;
  }
  ui.go(t.screen);
}

/** What needs the user, most urgent first, each with the one action that resolves it. */
export function AttentionList(props: { items: AttentionItem[] }) {
  const stores = useStores();
  if (props.items.length === 0)
    return (
      <p className="note note-ok" role="status">
        Nothing needs you: the proxy runs and every key is active and within its rotation period.
      </p>
    );
  return (
    <ul className="attention" aria-label="Needs attention">
      {props.items.map((item) => (
        <li
          key={`${item.kind}-${item.subject}`}
          className={`attention-item sev-${item.severity}`}
          data-kind={item.kind}
        >
          <div className="grow">
            <strong>{item.title}</strong>
            {item.detail ? <span className="sub">{item.detail}</span> : null}
          </div>
          <button type="button" className="button small" onClick={() => act(stores, item)}>
            {item.action}
            {item.subject ? <span className="sr-only"> {item.subject}</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}
