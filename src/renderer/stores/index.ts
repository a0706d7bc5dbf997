import type { KeywayClient } from '../api/keyway-client';
import { createAccountsStore, type AccountsStore } from './accounts-store';
import { createActivityStore, type ActivityStore } from './activity-store';
import { createClientsStore, type ClientsStore } from './clients-store';
import { createConnectionsStore, type ConnectionsStore } from './connections-store';
import { createKeysStore, type KeysStore } from './keys-store';
import { createNoticesStore, type NoticesStore } from './notices-store';
import { createOAuthStore, type OAuthStore } from './oauth-store';
import { createRotationStore, type RotationStore } from './rotation-store';
import { createSettingsStore, type SettingsStore } from './settings-store';
import { createTrafficStore, type TrafficStore } from './traffic-store';
import { createUiStore, type Screen, type ThemeStorage, type UiStore } from './ui-store';
import { createVendorsStore, type VendorsStore } from './vendors-store';

/** One store per concern; this is only the set the app is given, not a store of its own. */
export interface Stores {
  client: KeywayClient;
  keys: KeysStore;
  accounts: AccountsStore;
  vendors: VendorsStore;
  connections: ConnectionsStore;
  clients: ClientsStore;
  rotation: RotationStore;
  activity: ActivityStore;
  settings: SettingsStore;
  traffic: TrafficStore;
  oauth: OAuthStore;
  notices: NoticesStore;
  ui: UiStore;
}

export function createStores(
  client: KeywayClient,
  storage: ThemeStorage | null = null,
  firstScreen?: Screen,
): Stores {
  return {
    client,
    keys: createKeysStore(client),
    accounts: createAccountsStore(client),
    vendors: createVendorsStore(client),
    connections: createConnectionsStore(client),
    clients: createClientsStore(client),
    rotation: createRotationStore(client),
    activity: createActivityStore(client),
    settings: createSettingsStore(client),
    traffic: createTrafficStore(client),
    oauth: createOAuthStore(client),
    notices: createNoticesStore(),
    ui: createUiStore(storage, firstScreen),
  };
}

/** First paint needs everything but the audit log, which loads with its screen. */
export async function loadAll(stores: Stores): Promise<void> {
  await Promise.all([
    stores.keys.getState().load(),
    stores.accounts.getState().load(),
    stores.vendors.getState().load(),
    stores.connections.getState().load(),
    stores.connections.getState().loadStats(),
    stores.clients.getState().load(),
    stores.rotation.getState().load(),
    stores.settings.getState().load(),
    stores.settings.getState().loadStatus(),
    stores.traffic.getState().load(),
  ]);
}
