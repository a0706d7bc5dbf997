import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { Account } from '../../../shared/domain';
import { FormActions } from '../../components/form-actions';
import { useAction } from '../../lib/use-action';
import { useStores } from '../../stores/hooks';

/** A pasted PEM is a key; anything else a client secret. */
function credentialOf(text: string): { clientSecret?: string; privateKey?: string } {
  const t = text.trim();
  return t.startsWith('-----BEGIN') ? { privateKey: t } : { clientSecret: t };
}

const SECRET_HINT =
  'The client secret, or the PEM private key (EC P-256 or RSA) for private_key_jwt. Checked by getting a token, then kept only in the OS keychain.';

/** The client secret or PEM key, for both forms: the one place it is typed or pasted. */
function SecretField({
  id,
  label,
  inputRef,
  onEmpty,
}: {
  id: string;
  label: string;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  onEmpty: (empty: boolean) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {/* Uncontrolled, read once at submit: the value never enters React state. */}
      <textarea
        id={id}
        ref={inputRef}
        rows={3}
        autoComplete="off"
        spellCheck={false}
        className="mono"
        onInput={(e) => onEmpty(e.currentTarget.value.trim() === '')}
      />
      <p className="hint">{SECRET_HINT}</p>
    </div>
  );
}

/** Accounts → "Add a service account": an agent's client at an OAuth-protected MCP server. */
export function ServiceAccountAddForm(props: { onDone: () => void }) {
  const stores = useStores();
  const id = useId();
  const secret = useRef<HTMLTextAreaElement>(null);
  const [empty, setEmpty] = useState(true);
  const [name, setName] = useState('');
  const [mcpUrl, setMcpUrl] = useState('');
  const [clientId, setClientId] = useState('');
  const [scopes, setScopes] = useState('');
  const adding = useAction(
    (text: string) =>
      stores.client['account.addClientCredentials']({
        name,
        mcpUrl,
        clientId,
        ...credentialOf(text),
        scopes: scopes.split(/\s+/).filter(Boolean),
      }),
    {
      success: (a: Account) =>
        `Service account ${a.name} added; its first token is in the keychain`,
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = secret.current?.value ?? '';
    if (!text.trim()) return;
    void adding.run(text).then((added) => {
      if (!added) return;
      if (secret.current) secret.current.value = '';
      props.onDone();
    });
  };
  const field = (
    key: string,
    label: string,
    value: string,
    set: (v: string) => void,
    type = 'text',
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type={type} value={value} onChange={(e) => set(e.target.value)} />
    </div>
  );
  return (
    <form className="stack subform" onSubmit={submit} aria-label="Add a service account">
      {field('name', 'Account name', name, setName)}
      {field('mcp', 'MCP server URL', mcpUrl, setMcpUrl, 'url')}
      {field('client', 'Client id', clientId, setClientId)}
      <SecretField
        id={`${id}-secret`}
        label="Client secret or PEM private key"
        inputRef={secret}
        onEmpty={setEmpty}
      />
      {field('scopes', 'Scopes (space-separated, optional)', scopes, setScopes)}
      <FormActions
        error={adding.error}
        errorTitle="Not added:"
        submitLabel="Add service account"
        disabled={adding.busy || empty || !name || !mcpUrl || !clientId}
        onCancel={props.onDone}
      />
    </form>
  );
}

/** Guided rotation: the new secret or key is checked by a token, then replaces the old one. */
export function ServiceAccountRotateForm(props: { account: Account; onDone: () => void }) {
  const stores = useStores();
  const id = useId();
  const secret = useRef<HTMLTextAreaElement>(null);
  const [empty, setEmpty] = useState(true);
  const name = props.account.name;
  const rotating = useAction(
    (text: string) =>
      stores.client['account.rotateClientCredential']({ name, ...credentialOf(text) }),
    {
      success: `The new credential of ${name} got a token and replaced the old one; delete the old one at the authorization server`,
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = secret.current?.value ?? '';
    if (!text.trim()) return;
    void rotating.run(text).then((done) => {
      if (!done) return;
      if (secret.current) secret.current.value = '';
      props.onDone();
    });
  };
  return (
    <form
      className="stack subform"
      onSubmit={submit}
      aria-label={`Rotate the credential of ${name}`}
    >
      <p className="hint">
        Make the new secret (or register the new public key) at the authorization server first.
      </p>
      <SecretField
        id={`${id}-secret`}
        label="New client secret or PEM private key"
        inputRef={secret}
        onEmpty={setEmpty}
      />
      <FormActions
        error={rotating.error}
        errorTitle="Not rotated:"
        submitLabel="Check and swap"
        disabled={rotating.busy || empty}
        onCancel={props.onDone}
      />
    </form>
  );
}
