import { useEffect, useId, useState } from 'react';
import type { ScopeReport } from '../../../shared/contract';
import { errorMessage } from '../../api/error-message';
import { ErrorNote, WarningList } from '../../components/error-note';
import { useStores } from '../../stores/hooks';
import { NAME_RULE, type StepProps } from './wizard-draft';

/**
 * Key name and scopes. Every scope shows its description; those the account's credential
 * cannot grant are disabled with the vendor's reason (scope.check), and the vendor's warnings
 * for the chosen set (e.g. Specivo without `mcp`) are shown before anything is created.
 */
export function ScopesStep({ draft, update, next }: StepProps) {
  const { client } = useStores();
  const id = useId();
  const vendor = draft.vendor;
  const account = draft.account;
  const [all, setAll] = useState<ScopeReport | null>(null);
  const [chosen, setChosen] = useState<ScopeReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [labels, setLabels] = useState(draft.scopes.join(', '));
  const catalogue = vendor?.scopes ?? [];
  const accountName = account?.name ?? '';
  const catalogueKey = catalogue.map((s) => s.id).join(' ');

  useEffect(() => {
    if (!accountName) return;
    let live = true;
    client['scope.check']({
      account: accountName,
      scopes: catalogueKey ? catalogueKey.split(' ') : [],
    }).then(
      (r) => live && setAll(r),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [client, accountName, catalogueKey]);

  const { scopesTouched, scopes } = draft;
  useEffect(() => {
    // Until the user picks, start from the vendor's defaults that this account can grant.
    if (!all || scopesTouched || scopes.length > 0 || !vendor) return;
    const grantable = new Set(all.checks.filter((c) => c.grantable).map((c) => c.scope));
    const defaults = vendor.defaultScopes.filter((s) => grantable.has(s));
    if (defaults.length > 0) update({ scopes: defaults });
  }, [all, scopesTouched, scopes.length, vendor, update]);

  const scopeKey = scopes.join(' ');
  useEffect(() => {
    if (!accountName) return;
    let live = true;
    const t = setTimeout(() => {
      client['scope.check']({
        account: accountName,
        scopes: scopeKey ? scopeKey.split(' ') : [],
      }).then(
        (r) => live && setChosen(r),
        (err: unknown) => live && setError(errorMessage(err)),
      );
    }, 100);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, accountName, scopeKey]);

  if (!vendor || !account) return null;
  const nameOk = NAME_RULE.test(draft.keyName);
  const toggle = (scope: string, on: boolean) =>
    update({
      scopesTouched: true,
      scopes: on ? [...scopes, scope] : scopes.filter((s) => s !== scope),
    });
  const added = (chosen?.normalized ?? []).filter((s) => !scopes.includes(s));
  const problems = all?.credentialProblems ?? [];
  const blocked = vendor.capabilities.mint && problems.length > 0;

  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${id}-name`}>Key name</label>
        <input
          id={`${id}-name`}
          value={draft.keyName}
          aria-invalid={draft.keyName !== '' && !nameOk}
          aria-describedby={`${id}-name-help`}
          placeholder="claude"
          onChange={(e) => update({ keyName: e.target.value })}
        />
        <span id={`${id}-name-help`} className="field-help">
          The key will be {account.name}/{draft.keyName || 'NAME'}
          {draft.keyName !== '' && !nameOk
            ? ' — use letters, digits, ".", "_" or "-", starting with a letter or digit.'
            : '.'}
        </span>
      </div>
      <ErrorNote message={error} title="Could not check scopes:" />
      {problems.length > 0 ? (
        <ErrorNote
          title={`This account's credential cannot create keys:`}
          message={problems.join(' ')}
        />
      ) : null}
      {catalogue.length > 0 ? (
        <fieldset className="scopes">
          <legend>Scopes</legend>
          {catalogue.map((s) => {
            const check = all?.checks.find((c) => c.scope === s.id);
            const denied = check ? !check.grantable : false;
            const reasonId = `${id}-${s.id.replace(/[^A-Za-z0-9]/g, '-')}`;
            return (
              <div key={s.id} className={denied ? 'scope scope-denied' : 'scope'} data-scope={s.id}>
                <input
                  id={`${reasonId}-box`}
                  type="checkbox"
                  checked={!denied && (scopes.includes(s.id) || added.includes(s.id))}
                  disabled={denied || !all || added.includes(s.id)}
                  aria-describedby={reasonId}
                  onChange={(e) => toggle(s.id, e.target.checked)}
                />
                <label htmlFor={`${reasonId}-box`}>
                  <code>{s.id}</code>
                </label>
                <span id={reasonId} className="scope-text">
                  {s.description}
                  {denied ? (
                    <span className="scope-reason">
                      <strong>Not grantable:</strong>{' '}
                      {check?.reason ?? 'this account cannot grant it'}
                    </span>
                  ) : added.includes(s.id) ? (
                    <span className="scope-reason ok">Always added by {vendor.displayName}</span>
                  ) : null}
                </span>
              </div>
            );
          })}
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-labels`}>Scope labels (comma-separated, optional)</label>
          <input
            id={`${id}-labels`}
            value={labels}
            onChange={(e) => {
              setLabels(e.target.value);
              update({
                scopesTouched: true,
                scopes: e.target.value
                  .split(',')
                  .map((l) => l.trim())
                  .filter(Boolean),
              });
            }}
          />
        </div>
      )}
      <WarningList warnings={chosen?.warnings ?? []} />
      <div>
        <button
          type="button"
          className="button primary"
          disabled={!nameOk || blocked || !all}
          onClick={next}
        >
          Next
        </button>
      </div>
    </div>
  );
}
