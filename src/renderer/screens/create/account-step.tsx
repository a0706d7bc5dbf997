import { useState } from 'react';
import { useAccounts } from '../../stores/hooks';
import { NewAccountForm } from './new-account-form';
import type { StepProps } from './wizard-draft';

type Choice = { existing: string } | 'new' | 'new-service';

export function AccountStep({ draft, update, next }: StepProps) {
  const vendor = draft.vendor;
  const accounts = useAccounts((s) => s.accounts).filter((a) => a.vendor === vendor?.id);
  const [choice, setChoice] = useState<Choice>(() =>
    draft.account
      ? { existing: draft.account.name }
      : accounts[0]
        ? { existing: accounts[0].name }
        : 'new-service',
  );
  if (!vendor) return null;
  const chosen =
    typeof choice === 'object' ? accounts.find((a) => a.name === choice.existing) : null;
  const isNew = choice === 'new' || choice === 'new-service';
  return (
    <div className="stack">
      <fieldset className="choices">
        <legend>Whose key is it at {vendor.displayName}?</legend>
        {accounts.map((a) => (
          <label key={a.name} className="choice">
            <input
              type="radio"
              name="account"
              checked={typeof choice === 'object' && choice.existing === a.name}
              onChange={() => setChoice({ existing: a.name })}
            />
            <span className="choice-text">
              <strong>{a.name}</strong>
              {a.serviceAccount ? <span className="badge badge-sa">service account</span> : null}
              <span className="sub">
                {a.hasCredential
                  ? 'Has a management credential in the keychain'
                  : 'No management credential'}
                {a.serviceAccountInfo?.role ? ` · role ${a.serviceAccountInfo.role}` : ''}
              </span>
            </span>
          </label>
        ))}
        <label className="choice">
          <input
            type="radio"
            name="account"
            checked={choice === 'new-service'}
            onChange={() => setChoice('new-service')}
          />
          <span className="choice-text">
            <strong>A new service account</strong>
            <span className="sub">Recommended: a dedicated user for one agent.</span>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name="account"
            checked={choice === 'new'}
            onChange={() => setChoice('new')}
          />
          <span className="choice-text">
            <strong>A new account</strong>
            <span className="sub">A person&apos;s own account at {vendor.displayName}.</span>
          </span>
        </label>
      </fieldset>
      {isNew ? (
        <NewAccountForm
          key={choice}
          vendor={vendor}
          serviceAccount={choice === 'new-service'}
          onAdded={(account) => {
            update({ account });
            next();
          }}
        />
      ) : (
        <div>
          <button
            type="button"
            className="button primary"
            disabled={!chosen}
            onClick={() => {
              if (chosen) update({ account: chosen, scopes: [], scopesTouched: false });
              next();
            }}
          >
            Next
          </button>
        </div>
      )}
    </div>
  );
}
