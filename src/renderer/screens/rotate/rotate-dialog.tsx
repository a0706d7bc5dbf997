import { Modal } from '../../components/modal';
import { useKeys, useRotation, useStores, useVendors } from '../../stores/hooks';
import { ApiRotation } from './api-rotation';
import { GuidedRotation } from './guided-rotation';

/** Rotate one key: one click for API vendors, paste-and-confirm for guided ones. */
export function RotateDialog(props: { refName: string }) {
  const stores = useStores();
  const key = useKeys((s) => s.keys.find((k) => k.ref === props.refName));
  const vendor = useVendors((s) => s.vendors.find((v) => v.id === key?.vendor));
  const live = useRotation((s) => s.live[props.refName]);
  const close = () => {
    if (live && live.status !== 'running') stores.rotation.getState().dismiss(props.refName);
    stores.ui.getState().close();
  };
  return (
    <Modal title={`Rotate ${props.refName}`} onClose={close} wide>
      {!key || !vendor ? (
        <p>This key no longer exists.</p>
      ) : vendor.capabilities.mint ? (
        <ApiRotation keyView={key} vendor={vendor} live={live} />
      ) : (
        <GuidedRotation keyView={key} vendor={vendor} live={live} />
      )}
      <div className="modal-foot">
        <button type="button" className="button" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
