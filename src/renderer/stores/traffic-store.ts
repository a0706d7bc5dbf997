import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TrafficHistoryView } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface TrafficState {
  history: TrafficHistoryView | null;
  loaded: boolean;
  error: string | null;
  /** Refetched on each `traffic.changed` (the service sends at most one a second). */
  load(): Promise<void>;
}

export type TrafficStore = StoreApi<TrafficState>;

export function createTrafficStore(api: KeywayClient): TrafficStore {
  return createStore<TrafficState>()((set) => ({
    history: null,
    loaded: false,
    error: null,
    load: loadLatest(
      () => api['traffic.history']({ bucketMinutes: 5 }),
      (history) => set({ history, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    ),
  }));
}
