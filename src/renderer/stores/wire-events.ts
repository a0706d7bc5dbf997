import type { KeywayEvent, KeywayEvents } from '../../shared/contract';
import type { Stores } from './index';
import { loadAll } from './index';

/**
 * Service events → stores. `state.changed` says which collection moved, so only that one is
 * reloaded; a resync (the event stream dropped) reloads everything.
 */
export function wireEvents(stores: Stores): () => void {
  const handle = (event: KeywayEvent) => {
    switch (event.type) {
      case 'state.changed':
        return reload(stores, event.payload.what);
      case 'audit.appended':
        return stores.activity.getState().append(event.payload);
      case 'key.refused':
        stores.notices
          .getState()
          .push(
            'error',
            `The vendor refused ${event.payload.key} (HTTP ${event.payload.status}); rotate it or check it at the vendor`,
          );
        return void stores.keys.getState().load();
      case 'rotation.step':
        return stores.rotation.getState().onStep(event.payload);
      case 'rotation.changed':
        stores.rotation.getState().onChanged(event.payload);
        return void stores.keys.getState().load();
      case 'key.due':
        return stores.keys.getState().markDue(event.payload.key, event.payload.dueAt);
      case 'traffic.changed':
        return void stores.traffic.getState().load();
    }
  };
  const offEvents = stores.client.onEvent(handle);
  const offResync = stores.client.onResync(() => void loadAll(stores));
  return () => {
    offEvents();
    offResync();
  };
}

function reload(stores: Stores, what: KeywayEvents['state.changed']['what']): void {
  switch (what) {
    case 'accounts':
      void stores.accounts.getState().load();
      return;
    case 'keys':
      void stores.keys.getState().load();
      void stores.rotation.getState().load();
      return;
    case 'connections':
      void stores.connections.getState().load();
      void stores.settings.getState().loadStatus();
      return;
    case 'clients':
      void stores.clients.getState().load();
      return;
    case 'settings':
      // Also the proxy's pause (the tray, the CLI): the status carries it.
      void stores.settings.getState().load();
      void stores.settings.getState().loadStatus();
      return;
  }
}
