import { useRef, useState } from 'react';
import type { FormatReport, KeyChange, OpInput } from '../../../shared/contract';
import { ErrorNote, WarningList } from '../../components/error-note';
import { PastedKeyField } from '../../components/pasted-key-field';
import { stepRows } from '../../lib/rotation-steps';
import { useAction } from '../../lib/use-action';
import { useStores } from '../../stores/hooks';
import { GuidedStepsView } from '../rotate/guided-steps';
import { StepList } from '../rotate/step-list';
import { useGuidedSteps } from '../rotate/use-guided';
import { draftRef, rotateDays, type StepProps } from './wizard-draft';

/** key.create for vendors with a key API; the dashboard steps and a paste field otherwise. */
export function CreateStep({ draft, update, next }: StepProps) {
  const stores = useStores();
  const vendor = draft.vendor;
  const account = draft.account;
  const input = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<FormatReport | null>(null);
  const done = (change: KeyChange | undefined) => {
    if (change) update({ created: change });
  };
  const creating = useAction((i: OpInput<'key.create'>) => stores.keys.getState().create(i));
  const saving = useAction((i: OpInput<'key.add'>) => stores.keys.getState().add(i));
  const guided = useGuidedSteps(account?.name ?? '', draft.scopes, vendor?.guided ?? null);
  if (!vendor || !account) return null;
  const ref = draftRef(draft);
  const minted = vendor.capabilities.mint;
  const busy = creating.busy || saving.busy;
  const error = creating.error ?? saving.error;

  const create = () => {
    const session = Number(draft.sessionDuration);
    void creating
      .run({
        ref,
        scopes: draft.scopes,
        rotateEvery: rotateDays(draft),
        ...(draft.securityLevel ? { securityLevel: draft.securityLevel } : {}),
        ...(draft.sessionDuration.trim() !== '' ? { sessionDuration: session } : {}),
      })
      .then(done);
  };

  const save = () => {
    const secret = input.current?.value ?? '';
    if (!secret) return;
    void saving
      .run({ ref, secret, scopes: draft.scopes, rotateEvery: rotateDays(draft) })
      .then((change) => {
        if (change && input.current) input.current.value = '';
        done(change);
      });
  };

  if (draft.created) {
    const v = draft.created.version;
    return (
      <div className="stack">
        <StepList
          label="What Keyway did"
          rows={stepRows(
            draft.created.steps.map((s) => s.step),
            draft.created.steps,
            'done',
          )}
        />
        <p role="status" className="note note-ok">
          {ref} is in the keychain: fingerprint <span className="mono">{v.fingerprint}</span>, ends
          in …{v.last4}.
        </p>
        <WarningList warnings={draft.created.warnings} />
        <div>
          <button type="button" className="button primary" onClick={next}>
            Next: connect a client
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="stack">
      <dl className="facts">
        <dt>Key</dt>
        <dd>{ref}</dd>
        <dt>Vendor</dt>
        <dd>{vendor.displayName}</dd>
        <dt>Scopes</dt>
        <dd>{draft.scopes.join(', ') || 'none'}</dd>
        <dt>Rotation</dt>
        <dd>{rotateDays(draft) ? `every ${rotateDays(draft)} days` : 'not scheduled'}</dd>
      </dl>
      {minted ? (
        <div>
          <button type="button" className="button primary" disabled={busy} onClick={create}>
            {busy
              ? `Creating at ${vendor.displayName}…`
              : `Create the key at ${vendor.displayName}`}
          </button>
        </div>
      ) : (
        <>
          <GuidedStepsView
            title={`Make the key in ${vendor.displayName}`}
            vendorName={vendor.displayName}
            guided={guided}
            steps="createSteps"
          />
          <PastedKeyField
            label={`Paste the ${vendor.displayName} key`}
            vendor={vendor.id}
            vendorName={vendor.displayName}
            inputRef={input}
            onReport={setFormat}
          />
          <div>
            <button
              type="button"
              className="button primary"
              disabled={busy || !format?.ok}
              onClick={save}
            >
              {busy ? 'Saving…' : 'Save the key in the keychain'}
            </button>
          </div>
        </>
      )}
      <ErrorNote message={error} title={`${vendor.displayName} said:`} />
    </div>
  );
}
