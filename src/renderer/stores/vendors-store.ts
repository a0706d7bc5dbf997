import { createStore, type StoreApi } from 'zustand/vanilla';
import type { VendorInfo } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface VendorsState {
  vendors: VendorInfo[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
}

export type VendorsStore = StoreApi<VendorsState>;

export function createVendorsStore(api: KeywayClient): VendorsStore {
  return createStore<VendorsState>()((set) => ({
    vendors: [],
    loaded: false,
    error: null,
    load: loadLatest(
      () => api['vendor.list']({}),
      (vendors) => set({ vendors, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    ),
  }));
}
