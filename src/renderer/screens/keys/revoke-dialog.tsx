import { useState } from 'react';
import type { KeyRevoked } from '../../../shared/contract';
import { ErrorNote } from '../../components/error-note';
import { Modal } from '../../components/modal';
import { stepRows } from '../../lib/rotation-steps';
import { useConnections, useKeys, useStores, useVendors } from '../../stores/hooks';
import { GuidedStepsView } from '../rotate/guided-steps';
import { StepList } from '../rotate/step-list';
import { useGuidedSteps } from '../rotate/use-guided';
import { useAction } from '../../lib/use-action';

/**
 * Revoking cuts off every agent using the key at once, so it is confirmed here, with the
 * connections it will break named.
 */
export function RevokeDialog(props: { refName: string }) {
  const stores = useStores();
  const ref = props.refName;
  const key = useKeys((s) => s.keys.find((k) => k.ref === ref));
  const vendor = useVendors((s) => s.vendors.find((v) => v.id === key?.vendor));
  const connections = useConnections((s) => s.connections);
  const used = connections.filter((c) => c.key === ref).map((c) => c.slug);
  const { run, busy, error } = useAction(() => stores.keys.getState().revoke(ref), {
    success: `Revoked ${ref}`,
  });
  const [result, setResult] = useState<KeyRevoked | null>(null);
  const guidedVendor = vendor ? !vendor.capabilities.revoke : false;
  const guided = useGuidedSteps(
    key?.account ?? ref.split('/')[0] ?? '',
    key?.scopes ?? [],
    vendor?.guided ?? null,
  );
  const close = () => stores.ui.getState().close();

  const revoke = () => {
    void run().then((r) => r && setResult(r));
  };

  return (
    <Modal title={`Revoke ${ref}`} onClose={close}>
      {result ? (
        <>
          <StepList
            label="Revocation steps"
            rows={stepRows(
              result.steps.map((s) => s.step),
              result.steps,
              'done',
            )}
          />
          <p role="status" className="note note-ok">
            Revoked {result.revoked.length} version{result.revoked.length === 1 ? '' : 's'} of {ref}{' '}
            ({result.revoked.map((v) => `…${v.last4}`).join(', ')}); Keyway forgot the secret.
          </p>
        </>
      ) : (
        <>
          <p>
            {guidedVendor
              ? `${vendor?.displayName ?? 'This vendor'} has no API to revoke keys: revoke it in the dashboard, then Keyway checks that the key is refused and forgets it.`
              : `Keyway revokes the key at ${vendor?.displayName ?? 'the vendor'} and forgets it. This cannot be undone.`}
          </p>
          <p className={used.length > 0 ? 'note note-warn' : 'muted'}>
            {used.length > 0
              ? `Agents using ${used.join(', ')} stop working at once.`
              : 'No connection uses this key.'}
          </p>
          {guidedVendor && vendor ? (
            <GuidedStepsView
              title={`Revoke it in ${vendor.displayName}`}
              vendorName={vendor.displayName}
              guided={guided}
              steps="revokeSteps"
            />
          ) : null}
          <ErrorNote message={error} title="Not revoked:" />
        </>
      )}
      <div className="modal-foot">
        {result ? null : (
          <button type="button" className="button danger" disabled={busy || !key} onClick={revoke}>
            {busy ? 'Revoking…' : guidedVendor ? 'I’ve revoked it — check' : `Revoke ${ref}`}
          </button>
        )}
        <button type="button" className="button" onClick={close}>
          {result ? 'Close' : 'Cancel'}
        </button>
      </div>
    </Modal>
  );
}
