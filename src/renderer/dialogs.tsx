import { AddClientDialog, ClientSetupDialog } from './screens/connections/client-dialogs';
import { RevokeDialog } from './screens/keys/revoke-dialog';
import { RotationPeriodDialog } from './screens/keys/rotation-period-dialog';
import { RotateDialog } from './screens/rotate/rotate-dialog';
import { useUi } from './stores/hooks';

/** The one open dialog, if any (ui store); closing it unmounts it, dropping shown-once tokens. */
export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'rotate':
      return <RotateDialog key={dialog.ref} refName={dialog.ref} />;
    case 'revoke':
      return <RevokeDialog key={dialog.ref} refName={dialog.ref} />;
    case 'rotation-period':
      return <RotationPeriodDialog key={dialog.ref} refName={dialog.ref} />;
    case 'add-client':
      return <AddClientDialog key={dialog.connection} connection={dialog.connection} />;
    case 'client-setup':
      return <ClientSetupDialog key={dialog.client} client={dialog.client} />;
  }
}
