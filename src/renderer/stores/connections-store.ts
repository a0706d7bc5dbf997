import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionView, OpInput, ProxyStats } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface ConnectionsState {
  connections: ConnectionView[];
  stats: ProxyStats | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Proxy counters change without an event; screens poll this while they are shown. */
  loadStats(): Promise<void>;
  add(input: OpInput<'connection.add'>): Promise<ConnectionView>;
  update(input: OpInput<'connection.update'>): Promise<ConnectionView>;
  remove(slug: string): Promise<void>;
}

export type ConnectionsStore = StoreApi<ConnectionsState>;

export function createConnectionsStore(api: KeywayClient): ConnectionsStore {
  return createStore<ConnectionsState>()((set, get) => ({
    connections: [],
    stats: null,
    loaded: false,
    error: null,
    load: loadLatest(
      () => api['connection.list']({}),
      (connections) => set({ connections, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    ),
    loadStats: loadLatest(
      () => api['connection.stats']({}),
      // Polled every few seconds: an unchanged answer must not re-render 500 key rows.
      (stats) => {
        if (JSON.stringify(stats) !== JSON.stringify(get().stats)) set({ stats });
      },
      // Counters are a nicety; a failed poll keeps the last ones rather than alarming anyone.
      () => undefined,
    ),
    async add(input) {
      const view = await api['connection.add'](input);
      set({ connections: [...get().connections.filter((c) => c.slug !== view.slug), view] });
      return view;
    },
    async update(input) {
      const view = await api['connection.update'](input);
      set({ connections: get().connections.map((c) => (c.slug === view.slug ? view : c)) });
      return view;
    },
    async remove(slug) {
      await api['connection.remove']({ slug });
      await get().load();
    },
  }));
}
