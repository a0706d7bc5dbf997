import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientCreated, ClientView } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface ClientsState {
  clients: ClientView[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /**
   * The token comes back to the caller only, never into this store: the dialog that asked
   * shows it once and forgets it when it closes.
   */
  add(name: string, connection: string): Promise<ClientCreated>;
  revoke(name: string): Promise<void>;
  /** A new token for the caller to show once; the old one stops working at once. */
  rotateToken(name: string): Promise<ClientCreated>;
}

export type ClientsStore = StoreApi<ClientsState>;

export function createClientsStore(api: KeywayClient): ClientsStore {
  return createStore<ClientsState>()((set, get) => ({
    clients: [],
    loaded: false,
    error: null,
    load: loadLatest(
      () => api['client.list']({}),
      (clients) => set({ clients, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    ),
    async add(name, connection) {
      const created = await api['client.add']({ name, connection });
      await get().load();
      return created;
    },
    async rotateToken(name) {
      const created = await api['client.rotateToken']({ name });
      await get().load();
      return created;
    },
    async revoke(name) {
      const view = await api['client.revoke']({ name });
      set({ clients: get().clients.map((c) => (c.name === name ? view : c)) });
    },
  }));
}
