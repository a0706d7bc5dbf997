import { useId, useRef, useState, type FormEvent } from 'react';
import type { OpInput, VendorInfo } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';
import { ErrorNote } from '../../components/error-note';
import { useStores } from '../../stores/hooks';
import { NAME_RULE } from './wizard-draft';
import { useAction } from '../../lib/use-action';

/**
 * A new account at the vendor. Its management credential (for vendors with a key API) is read
 * from an uncontrolled password field at submit, sent to the service, and cleared: it never
 * enters React state.
 */
export function NewAccountForm(props: {
  vendor: VendorInfo;
  serviceAccount: boolean;
  onAdded: (account: Account) => void;
}) {
  const stores = useStores();
  const id = useId();
  const v = props.vendor;
  const credential = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [projects, setProjects] = useState('');
  const [scoped, setScoped] = useState(false);
  const [held, setHeld] = useState<string[]>([]);
  // An instance that runs the vendors' sandbox (`npm run demo`) fills in its addresses and, for
  // Custom, how its server reads the key: the real vendor is not what a demo can reach. Elsewhere
  // the documented hosts are placeholders, and the instance applies them when left empty.
  const [apiUrl, setApiUrl] = useState(v.sandbox ? v.defaults.apiUrl : '');
  const [mcpUrl, setMcpUrl] = useState(v.sandbox ? v.defaults.mcpUrl : '');
  const [header, setHeader] = useState(v.sandbox ? v.defaults.auth.header : 'Authorization');
  const [prefix, setPrefix] = useState(v.sandbox ? v.defaults.auth.prefix : 'Bearer ');
  const [missing, setMissing] = useState<string | null>(null);
  const adding = useAction((input: OpInput<'account.add'>) =>
    stores.accounts.getState().add(input),
  );
  const busy = adding.busy;
  const error = missing ?? adding.error;
  const needsCredential = v.capabilities.mint;
  const nameOk = NAME_RULE.test(name);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const secret = credential.current?.value ?? '';
    if (needsCredential && !secret) {
      setMissing(`Paste a ${v.displayName} token that can create keys`);
      return;
    }
    setMissing(null);
    const input: OpInput<'account.add'> = {
      name,
      vendor: v.id,
      serviceAccount: props.serviceAccount,
      ...(apiUrl ? { apiUrl } : {}),
      ...(mcpUrl ? { mcpUrl } : {}),
      ...(secret ? { credential: secret } : {}),
      ...(needsCredential && scoped ? { credentialScopes: held } : {}),
      ...(props.serviceAccount && (role || projects)
        ? {
            serviceAccountInfo: {
              ...(role ? { role } : {}),
              ...(projects
                ? {
                    projects: projects
                      .split(',')
                      .map((p) => p.trim())
                      .filter(Boolean),
                  }
                : {}),
            },
          }
        : {}),
      ...(v.id === 'custom' ? { auth: { header, prefix } } : {}),
    };
    void adding.run(input).then((account) => {
      if (!account) return;
      if (credential.current) credential.current.value = '';
      props.onAdded(account);
    });
  };

  return (
    <form className="stack subform" onSubmit={submit} aria-label="New account">
      {props.serviceAccount ? <p className="note">{v.serviceAccountNote}</p> : null}
      <div className="field">
        <label htmlFor={`${id}-name`}>Account name in Keyway</label>
        <input
          id={`${id}-name`}
          value={name}
          required
          aria-invalid={name !== '' && !nameOk}
          aria-describedby={`${id}-name-help`}
          placeholder={props.serviceAccount ? `${v.id}-agent` : 'work'}
          onChange={(e) => setName(e.target.value)}
        />
        <span id={`${id}-name-help`} className="field-help">
          {name !== '' && !nameOk
            ? 'Use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.'
            : 'Keys are named ACCOUNT/KEY, e.g. work/claude.'}
        </span>
      </div>
      {props.serviceAccount ? (
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-role`}>Role at {v.displayName}</label>
            <input
              id={`${id}-role`}
              value={role}
              placeholder="Agent"
              onChange={(e) => setRole(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-projects`}>Projects (comma-separated)</label>
            <input
              id={`${id}-projects`}
              value={projects}
              onChange={(e) => setProjects(e.target.value)}
            />
          </div>
        </div>
      ) : null}
      {needsCredential ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-cred`}>Management credential</label>
            <input
              id={`${id}-cred`}
              ref={credential}
              type="password"
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${id}-cred-help`}
            />
            <span id={`${id}-cred-help`} className="field-help">
              A {v.displayName} token that can create and revoke keys. It goes to the OS keychain
              and nowhere else.
            </span>
          </div>
          {v.scopes.length > 0 ? (
            <fieldset className="choices compact">
              <legend>What is this credential?</legend>
              <label className="choice">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  checked={!scoped}
                  onChange={() => setScoped(false)}
                />
                <span>A user token: it can grant every scope its user has</span>
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  checked={scoped}
                  onChange={() => setScoped(true)}
                />
                <span>A scoped key holding only these scopes:</span>
              </label>
              {scoped ? (
                <div className="scope-grid" role="group" aria-label="Scopes the credential holds">
                  {v.scopes.map((s) => (
                    <label key={s.id} className="check">
                      <input
                        type="checkbox"
                        checked={held.includes(s.id)}
                        onChange={(e) =>
                          setHeld(
                            e.target.checked ? [...held, s.id] : held.filter((h) => h !== s.id),
                          )
                        }
                      />
                      <code>{s.id}</code>
                    </label>
                  ))}
                </div>
              ) : null}
            </fieldset>
          ) : null}
        </>
      ) : null}
      {v.id === 'custom' ? (
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-header`}>Header the server reads</label>
            <input id={`${id}-header`} value={header} onChange={(e) => setHeader(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-prefix`}>Prefix before the key</label>
            <input id={`${id}-prefix`} value={prefix} onChange={(e) => setPrefix(e.target.value)} />
          </div>
        </div>
      ) : null}
      <details>
        <summary>
          Server addresses
          {v.sandbox ? <span className="muted">: the local sandbox {v.displayName}</span> : null}
        </summary>
        <div className="field">
          <label htmlFor={`${id}-api`}>API URL</label>
          <input
            id={`${id}-api`}
            value={apiUrl}
            placeholder={v.defaults.apiUrl}
            onChange={(e) => setApiUrl(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-mcp`}>MCP URL</label>
          <input
            id={`${id}-mcp`}
            value={mcpUrl}
            placeholder={v.defaults.mcpUrl}
            onChange={(e) => setMcpUrl(e.target.value)}
          />
        </div>
      </details>
      <ErrorNote message={error} title="Account not added:" />
      <div>
        <button type="submit" className="button primary" disabled={busy || !nameOk}>
          {busy ? 'Adding…' : 'Add account and continue'}
        </button>
      </div>
    </form>
  );
}
