import { useState } from 'react';
import type { VendorInfo } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';
import { EmptyState } from '../../components/empty-state';
import { OAuthAccountStatus } from '../../components/oauth-account-status';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../lib/use-action';
import { useAccounts, useKeys, useStores, useVendors } from '../../stores/hooks';
import { CREDENTIAL_TEXT, credentialState } from './account-facts';
import { AccountEditForm, CredentialForm } from './account-forms';
import { ServiceAccountAddForm, ServiceAccountRotateForm } from './service-account-forms';

export function AccountsScreen() {
  const stores = useStores();
  const accounts = useAccounts((s) => s.accounts);
  const loaded = useAccounts((s) => s.loaded);
  const error = useAccounts((s) => s.error);
  const vendors = useVendors((s) => s.vendors);
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name));
  const [addingService, setAddingService] = useState(false);
  return (
    <section className="screen" aria-labelledby="accounts-title">
      <div className="screen-head">
        <h2 id="accounts-title">Accounts</h2>
        <button
          type="button"
          className="button primary"
          onClick={() => stores.ui.getState().go('create')}
        >
          Add an account
        </button>
        <button type="button" className="button" onClick={() => setAddingService(true)}>
          Add a service account (OAuth client credentials)
        </button>
      </div>
      {addingService ? <ServiceAccountAddForm onDone={() => setAddingService(false)} /> : null}
      <ErrorNote message={error} title="Could not load accounts:" />
      {loaded && accounts.length === 0 ? (
        <EmptyState title="No accounts yet">
          <p>An account is who you are at a vendor; add one while creating your first key.</p>
        </EmptyState>
      ) : (
        <div className="cards">
          {sorted.map((a) => (
            <AccountCard key={a.name} account={a} vendor={vendors.find((v) => v.id === a.vendor)} />
          ))}
        </div>
      )}
    </section>
  );
}

type Editing = 'none' | 'settings' | 'credential' | 'rotate';

function AccountCard(props: { account: Account; vendor: VendorInfo | undefined }) {
  const stores = useStores();
  const a = props.account;
  const vendorName = props.vendor?.displayName ?? a.vendor;
  const keys = useKeys((s) => s.keys).filter((k) => k.account === a.name);
  const [editing, setEditing] = useState<Editing>('none');
  const removing = useAction(() => stores.accounts.getState().remove(a.name), {
    success: `Account ${a.name} removed; its credential is gone from the keychain`,
  });
  const cred = credentialState(a, props.vendor);
  const titleId = `account-${a.name}`;
  return (
    <article className="card" aria-labelledby={titleId} data-account={a.name}>
      <div className="card-head">
        <h3 id={titleId}>{a.name}</h3>
        <span className="muted">{vendorName}</span>
        {a.serviceAccount ? <span className="badge badge-sa">service account</span> : null}
      </div>
      <OAuthAccountStatus account={a} store={stores.oauth} shell={stores.client.shell} />
      <dl className="facts">
        {/* An OAuth account's sign-in is its credential (above): no management key to add. */}
        {a.oauth ? null : (
          <>
            <dt>Management credential</dt>
            <dd className={`cred cred-${cred}`}>{CREDENTIAL_TEXT[cred]}</dd>
          </>
        )}
        <dt>API URL</dt>
        <dd className="mono">{a.apiUrl}</dd>
        <dt>MCP URL</dt>
        <dd className="mono">{a.mcpUrl}</dd>
        <dt>Keys</dt>
        <dd>
          {keys.length === 0 ? (
            'none'
          ) : (
            <ul className="inline-list">
              {keys.map((k) => (
                <li key={k.ref}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => stores.ui.getState().showKey(k.ref)}
                  >
                    {k.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {editing === 'settings' ? (
        <AccountEditForm account={a} onDone={() => setEditing('none')} />
      ) : editing === 'credential' ? (
        <CredentialForm account={a} vendorName={vendorName} onDone={() => setEditing('none')} />
      ) : editing === 'rotate' ? (
        <ServiceAccountRotateForm account={a} onDone={() => setEditing('none')} />
      ) : (
        <div className="row">
          <button type="button" className="button small" onClick={() => setEditing('settings')}>
            Edit<span className="sr-only"> account {a.name}</span>
          </button>
          {a.oauth?.clientCredentials ? (
            <button type="button" className="button small" onClick={() => setEditing('rotate')}>
              Rotate secret or key<span className="sr-only"> of {a.name}</span>
            </button>
          ) : a.oauth ? null : (
            <button type="button" className="button small" onClick={() => setEditing('credential')}>
              {a.hasCredential ? 'Replace credential' : 'Add credential'}
              <span className="sr-only"> of {a.name}</span>
            </button>
          )}
          <button
            type="button"
            className="button small danger"
            disabled={removing.busy}
            onClick={() => void removing.run()}
          >
            Remove<span className="sr-only"> account {a.name}</span>
          </button>
        </div>
      )}
      <ErrorNote message={removing.error} title="Not removed:" />
    </article>
  );
}
