import { useId, useRef, useState, type FormEvent } from 'react';
import type { Account } from '../../../shared/domain';
import { FormActions } from '../../components/form-actions';
import { useAction } from '../../lib/use-action';
import { useStores } from '../../stores/hooks';

/** The account's URLs and service-account flag; the name and vendor are fixed. */
export function AccountEditForm(props: { account: Account; onDone: () => void }) {
  const stores = useStores();
  const id = useId();
  const a = props.account;
  const [apiUrl, setApiUrl] = useState(a.apiUrl);
  const [mcpUrl, setMcpUrl] = useState(a.mcpUrl);
  const [serviceAccount, setServiceAccount] = useState(a.serviceAccount);
  const { run, busy, error } = useAction(
    () => stores.accounts.getState().update({ name: a.name, apiUrl, mcpUrl, serviceAccount }),
    { success: `Account ${a.name} saved` },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run().then((saved) => saved && props.onDone());
  };
  return (
    <form className="stack subform" onSubmit={submit} aria-label={`Edit account ${a.name}`}>
      <div className="field">
        <label htmlFor={`${id}-api`}>API URL</label>
        <input
          id={`${id}-api`}
          type="url"
          value={apiUrl}
          onChange={(e) => setApiUrl(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-mcp`}>MCP URL</label>
        <input
          id={`${id}-mcp`}
          type="url"
          value={mcpUrl}
          onChange={(e) => setMcpUrl(e.target.value)}
        />
      </div>
      <div className="field checkbox">
        <input
          id={`${id}-sa`}
          type="checkbox"
          checked={serviceAccount}
          onChange={(e) => setServiceAccount(e.target.checked)}
        />
        <label htmlFor={`${id}-sa`}>A service account (a user dedicated to agents)</label>
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

/**
 * Replaces the management credential. The field is uncontrolled and read once at submit: the
 * value goes to the service (then the keychain) and is cleared, never entering React state.
 */
export function CredentialForm(props: {
  account: Account;
  vendorName: string;
  onDone: () => void;
}) {
  const stores = useStores();
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [empty, setEmpty] = useState(true);
  const name = props.account.name;
  const { run, busy, error } = useAction(
    (credential: string) => stores.accounts.getState().setCredential({ name, credential }),
    { success: `The new credential of ${name} is in the keychain` },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const credential = field.current?.value ?? '';
    if (!credential) return;
    void run(credential).then((saved) => {
      if (!saved) return;
      if (field.current) field.current.value = '';
      props.onDone();
    });
  };
  return (
    <form
      className="stack subform"
      onSubmit={submit}
      aria-label={`Replace the credential of ${name}`}
    >
      <div className="field">
        <label htmlFor={`${id}-cred`}>New {props.vendorName} management credential</label>
        <input
          id={`${id}-cred`}
          ref={field}
          type="password"
          autoComplete="off"
          spellCheck={false}
          onInput={(e) => setEmpty(e.currentTarget.value === '')}
        />
        <p className="hint">Goes straight to the OS keychain; Keyway never shows it again.</p>
      </div>
      <FormActions
        error={error}
        errorTitle={`${props.vendorName} said:`}
        submitLabel="Replace credential"
        disabled={busy || empty}
        onCancel={props.onDone}
      />
    </form>
  );
}
