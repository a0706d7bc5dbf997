import type { KeyView, VendorInfo } from '../../../shared/contract';
import { ErrorNote, WarningList } from '../../components/error-note';
import { API_ROTATION_STEPS, canonicalStep, stepRows } from '../../lib/rotation-steps';
import type { LiveRotation } from '../../stores/rotation-store';
import { useKeys, useRotation, useStores } from '../../stores/hooks';
import { StepList } from './step-list';

export function ApiRotation(props: {
  keyView: KeyView;
  vendor: VendorInfo;
  live: LiveRotation | undefined;
}) {
  const stores = useStores();
  const { keyView: key, vendor, live } = props;
  const waiting = useRotation((s) => s.waiting.find((r) => r.key === key.ref));
  const current = useKeys((s) => s.keys.find((k) => k.ref === key.ref)?.version);
  const start = () => void stores.rotation.getState().rotate(key.ref);
  const minted = live?.steps.some((s) => canonicalStep(s.step) === 'mint' && s.ok) ?? false;
  const swapped = live?.steps.some((s) => canonicalStep(s.step) === 'swap' && s.ok) ?? false;
  return (
    <div className="rotation">
      <p>
        Keyway mints a new key at {vendor.displayName} with the same scopes, proves it, swaps it
        into the proxy, lets requests on the old key finish, and only then revokes the old key.
        Connected clients keep working throughout.
      </p>
      {live ? (
        <StepList
          label="Rotation steps"
          rows={stepRows(API_ROTATION_STEPS, live.steps, live.status)}
        />
      ) : (
        <button type="button" className="button primary" onClick={start}>
          Rotate now
        </button>
      )}
      {live?.status === 'running' ? (
        <p role="status" className="muted">
          Rotating…
        </p>
      ) : null}
      {live?.status === 'done' ? (
        <p role="status" className="note note-ok">
          Rotated. {key.ref} now uses the key ending in …{current?.last4 ?? '?'} (
          {current?.fingerprint ?? '—'}); the old key is revoked.
        </p>
      ) : null}
      {live?.status === 'waiting' || waiting?.waitingFor === 'revoke-retry' ? (
        <p role="status" className="note note-warn">
          The new key is in use. Revoking the old key has not succeeded yet
          {waiting?.message ? `: ${waiting.message}` : ''}; Keyway keeps retrying and shows it as
          retiring until then.
        </p>
      ) : null}
      {live?.status === 'failed' ? (
        <>
          <ErrorNote title="Rotation failed:" message={live.error} />
          <p className="note">
            {swapped
              ? 'The new key is already in use; Keyway will finish retiring the old one.'
              : `What Keyway did: your connections still use the old key (…${key.version?.last4 ?? '?'}), which was not revoked.` +
                (minted ? ' The new key it minted was revoked and forgotten.' : '')}
          </p>
          <button type="button" className="button primary" onClick={start}>
            Try again
          </button>
        </>
      ) : null}
      <WarningList warnings={live?.warnings ?? []} />
    </div>
  );
}
