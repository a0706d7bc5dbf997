import { useId, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/error-note';
import { Modal } from '../../components/modal';
import {
  ROTATE_MAX_DAYS,
  ROTATE_MIN_DAYS,
  parseRotationPeriod,
  periodText,
  ROTATION_MEANS,
  rotationMeans,
} from '../../lib/rotation-period';
import { useKeys, useStores, useVendors } from '../../stores/hooks';
import { useAction } from '../../lib/use-action';

/**
 * How often a key is rotated, changed after it was made. The value is checked as it is typed;
 * what the service still refuses is shown in its own words and nothing is saved.
 */
export function RotationPeriodDialog(props: { refName: string }) {
  const stores = useStores();
  const ref = props.refName;
  const id = useId();
  const key = useKeys((s) => s.keys.find((k) => k.ref === ref));
  const vendor = useVendors((s) => s.vendors.find((v) => v.id === key?.vendor));
  const current = key?.rotateEvery ?? null;
  const [days, setDays] = useState(current === null ? '' : String(current));
  const [never, setNever] = useState(current === null);
  const close = () => stores.ui.getState().close();
  const { run, busy, error } = useAction(
    (rotateEvery: number | null) => stores.keys.getState().setPolicy(ref, rotateEvery),
    {
      success: (_r, rotateEvery) =>
        rotateEvery === null
          ? `${ref} is no longer rotated on a schedule`
          : `${ref} is now rotated ${periodText(rotateEvery)}`,
    },
  );
  const parsed = parseRotationPeriod(days, never);
  const invalid = !parsed.ok;

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.ok || busy) return;
    void run(parsed.rotateEvery).then((view) => view && close());
  };

  return (
    <Modal title={`Rotation period of ${ref}`} onClose={close}>
      <form className="stack" onSubmit={save} noValidate>
        <p className="muted">Now: {periodText(current)}.</p>
        <div className="field">
          <label htmlFor={`${id}-days`}>Rotate every (days)</label>
          <input
            id={`${id}-days`}
            type="number"
            inputMode="numeric"
            min={ROTATE_MIN_DAYS}
            max={ROTATE_MAX_DAYS}
            step={1}
            value={days}
            disabled={never}
            aria-invalid={invalid && !never}
            aria-describedby={`${id}-days-help`}
            onChange={(e) => setDays(e.target.value)}
          />
          <span id={`${id}-days-help`} className={invalid ? 'field-help warn-text' : 'field-help'}>
            {parsed.ok
              ? `From ${ROTATE_MIN_DAYS} to ${ROTATE_MAX_DAYS} days. ${
                  vendor
                    ? rotationMeans({
                        displayName: vendor.displayName,
                        minted: vendor.capabilities.mint,
                      })
                    : ROTATION_MEANS
                }`
              : parsed.message}
          </span>
        </div>
        <label className="field checkbox">
          <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} />
          <span>Never rotate on a schedule</span>
        </label>
        <ErrorNote message={error} title="Not saved:" />
        <div className="modal-foot">
          <button type="submit" className="button primary" disabled={invalid || busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
