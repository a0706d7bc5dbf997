import { useId, useState } from 'react';
import { rotationMeans } from '../../lib/rotation-period';
import type { StepProps } from './wizard-draft';

const SECURITY_LEVELS = ['balanced', 'strict'];

export function OptionsStep({ draft, update, next }: StepProps) {
  const id = useId();
  const [never, setNever] = useState(draft.rotateEvery.trim() === '');
  const vendor = draft.vendor;
  if (!vendor) return null;
  const minted = vendor.capabilities.mint;
  // Rotated by Keyway itself only with a key API and the account's management credential.
  const automatic = minted && (draft.account?.hasCredential ?? false);
  const rotateBad =
    draft.rotateEvery.trim() !== '' &&
    !(Number.isInteger(Number(draft.rotateEvery)) && Number(draft.rotateEvery) >= 1);
  const sessionBad =
    draft.sessionDuration.trim() !== '' &&
    !(Number.isInteger(Number(draft.sessionDuration)) && Number(draft.sessionDuration) > 0);
  return (
    <div className="stack">
      {minted ? (
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-level`}>Security level</label>
            <select
              id={`${id}-level`}
              value={draft.securityLevel}
              onChange={(e) => update({ securityLevel: e.target.value })}
            >
              <option value="">{vendor.displayName} default</option>
              {SECURITY_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-session`}>Session duration (seconds)</label>
            <input
              id={`${id}-session`}
              type="number"
              min={1}
              value={draft.sessionDuration}
              placeholder="vendor default"
              aria-invalid={sessionBad}
              onChange={(e) => update({ sessionDuration: e.target.value })}
            />
          </div>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-rotate`}>Rotate every (days)</label>
        <input
          id={`${id}-rotate`}
          type="number"
          min={1}
          max={3650}
          value={draft.rotateEvery}
          placeholder="never"
          disabled={never}
          aria-invalid={rotateBad}
          aria-describedby={`${id}-rotate-help`}
          onChange={(e) => update({ rotateEvery: e.target.value })}
        />
        <span id={`${id}-rotate-help`} className="field-help">
          {never
            ? 'No scheduled rotation: rotate it yourself when you choose.'
            : rotationMeans({ displayName: vendor.displayName, minted: automatic })}
        </span>
      </div>
      <label className="field checkbox">
        <input
          type="checkbox"
          checked={never}
          onChange={(e) => {
            setNever(e.target.checked);
            if (e.target.checked) update({ rotateEvery: '' });
            else if (draft.rotateEvery.trim() === '') update({ rotateEvery: '90' });
          }}
        />
        <span>Never rotate on a schedule</span>
      </label>
      <div>
        <button
          type="button"
          className="button primary"
          disabled={rotateBad || sessionBad}
          onClick={next}
        >
          Next
        </button>
      </div>
    </div>
  );
}
