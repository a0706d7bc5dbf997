import { useRef, useState } from 'react';
import type { FormatReport, KeyView, VendorInfo } from '../../../shared/contract';
import { errorMessage } from '../../api/error-message';
import { ErrorNote, WarningList } from '../../components/error-note';
import { PastedKeyField } from '../../components/pasted-key-field';
import { GUIDED_ROTATION_STEPS, stepRows } from '../../lib/rotation-steps';
import type { LiveRotation } from '../../stores/rotation-store';
import { useRotation, useStores } from '../../stores/hooks';
import { GuidedStepsView } from './guided-steps';
import { StepList } from './step-list';
import { useGuidedSteps } from './use-guided';

/**
 * A vendor without a key API: the user makes the new key in the dashboard and pastes it;
 * Keyway verifies and swaps it in; the user revokes the old key there and Keyway checks that
 * the vendor now refuses it before forgetting it.
 */
export function GuidedRotation(props: {
  keyView: KeyView;
  vendor: VendorInfo;
  live: LiveRotation | undefined;
}) {
  const stores = useStores();
  const { keyView: key, vendor, live } = props;
  const waiting = useRotation((s) => s.waiting.find((r) => r.key === key.ref));
  const guided = useGuidedSteps(key.account, key.scopes, vendor.guided);
  const input = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<FormatReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkResult, setCheckResult] = useState<string | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const needsRevoke = waiting?.waitingFor === 'user-revoke';
  const oldLast4 = waiting?.oldVersion?.last4;

  const submit = () => {
    const secret = input.current?.value ?? '';
    if (!secret) return;
    if (input.current) input.current.value = '';
    setFormat(null);
    void stores.rotation.getState().rotate(key.ref, secret);
  };

  const confirm = () => {
    setChecking(true);
    setCheckError(null);
    setCheckResult(null);
    stores.rotation
      .getState()
      .confirmRevoked(key.ref)
      .then(
        (view) => {
          if (view)
            setCheckResult(view.message ?? `${vendor.displayName} still accepts the old key`);
          else setConfirmed(true);
        },
        (err: unknown) => setCheckError(errorMessage(err)),
      )
      .finally(() => setChecking(false));
  };

  if (confirmed) {
    return (
      <p role="status" className="note note-ok">
        Confirmed: {vendor.displayName} refuses the old key, and Keyway has forgotten it. {key.ref}{' '}
        now uses only the key ending in …{key.version?.last4 ?? '?'}.
      </p>
    );
  }

  if (needsRevoke) {
    return (
      <div className="rotation">
        <p className="note note-ok">
          The new key is verified and in use; every connection now sends it.
        </p>
        <GuidedStepsView
          title={`Revoke the old key${oldLast4 ? ` (…${oldLast4})` : ''} in ${vendor.displayName}`}
          vendorName={vendor.displayName}
          guided={waiting.guided ?? guided}
          steps="revokeSteps"
        />
        {checkResult ? (
          <p role="alert" className="note note-warn">
            Not yet: {checkResult.replace(/\.+$/, '')}. Revoke it in the dashboard, then check
            again.
          </p>
        ) : null}
        <ErrorNote message={checkError} />
        <button
          type="button"
          className="button primary"
          onClick={confirm}
          aria-disabled={checking}
          disabled={checking}
        >
          {checking ? 'Checking…' : 'I’ve revoked it — check'}
        </button>
      </div>
    );
  }

  return (
    <div className="rotation">
      <GuidedStepsView
        title={`1. Create a new key in ${vendor.displayName}`}
        vendorName={vendor.displayName}
        guided={guided}
        steps="createSteps"
      />
      <h3>2. Paste the new key</h3>
      <PastedKeyField
        label={`New ${vendor.displayName} key`}
        vendor={vendor.id}
        vendorName={vendor.displayName}
        inputRef={input}
        onReport={setFormat}
      />
      <button
        type="button"
        className="button primary"
        disabled={!format?.ok || live?.status === 'running'}
        onClick={submit}
      >
        Verify and swap in
      </button>
      {live ? (
        <StepList
          label="Rotation steps"
          rows={stepRows(GUIDED_ROTATION_STEPS, live.steps, live.status)}
        />
      ) : null}
      {live?.status === 'failed' ? (
        <>
          <ErrorNote title="The new key was not used:" message={live.error} />
          <p className="note">
            Your connections still use the old key (…{key.version?.last4 ?? '?'}). Check the pasted
            key in the dashboard and paste it again.
          </p>
        </>
      ) : null}
      {live?.status === 'done' ? (
        <p role="status" className="note note-ok">
          Rotated: {key.ref} now uses the key ending in …{key.version?.last4 ?? '?'}.
        </p>
      ) : null}
      <WarningList warnings={live?.warnings ?? []} />
    </div>
  );
}
