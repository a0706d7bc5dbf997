import { useState } from 'react';
import type { ClientCreated } from '../../../shared/contract';
import { ClientSetup } from '../../components/client-setup';
import { ErrorNote } from '../../components/error-note';
import { TokenOnce } from '../../components/token-once';
import { Modal } from '../../components/modal';
import { TOKEN_PLACEHOLDER } from '../../lib/client-snippets';
import { useAction } from '../../lib/use-action';
import { useClients, useConnections, useStores } from '../../stores/hooks';
import { AddClientForm } from './add-client-form';

export function AddClientDialog(props: { connection: string }) {
  const stores = useStores();
  return (
    <Modal
      title={`Add a client to ${props.connection}`}
      onClose={() => stores.ui.getState().close()}
      wide
    >
      <AddClientForm connection={props.connection} />
      <div className="modal-foot">
        <button type="button" className="button" onClick={() => stores.ui.getState().close()}>
          Done
        </button>
      </div>
    </Modal>
  );
}

/**
 * Setup for an existing client: its token was shown once, so the snippet has a placeholder,
 * unless the user asks for a new token (the old one stops working at once).
 */
export function ClientSetupDialog(props: { client: string }) {
  const stores = useStores();
  const client = useClients((s) => s.clients.find((c) => c.name === props.client));
  const connection = useConnections((s) =>
    s.connections.find((c) => c.slug === client?.connection),
  );
  const [fresh, setFresh] = useState<ClientCreated | null>(null);
  const { run, busy, error } = useAction(() => stores.clients.getState().rotateToken(props.client));
  const close = () => stores.ui.getState().close();
  const newToken = () => void run().then((created) => created && setFresh(created));
  return (
    <Modal title={`Set up ${props.client}`} onClose={close} wide>
      {client && connection ? (
        <>
          {fresh ? (
            <TokenOnce client={fresh.name} token={fresh.token} />
          ) : (
            <div className="row">
              <p className="grow">
                Replace <code>{TOKEN_PLACEHOLDER}</code> with the token you saved when you added{' '}
                {client.name}. Lost it? Give it a new one; the old token stops working at once.
              </p>
              <button type="button" className="button" disabled={busy} onClick={newToken}>
                New token for {client.name}
              </button>
            </div>
          )}
          <ErrorNote message={error} title="No new token:" />
          <ClientSetup slug={connection.slug} url={connection.url} token={fresh?.token ?? null} />
        </>
      ) : (
        <p>This client or its connection no longer exists.</p>
      )}
      <div className="modal-foot">
        <button type="button" className="button" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
