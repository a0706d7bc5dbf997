import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OpInput, ServiceStatus, SettingsView } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface SettingsState {
  settings: SettingsView | null;
  status: ServiceStatus | null;
  error: string | null;
  load(): Promise<void>;
  loadStatus(): Promise<void>;
  update(patch: OpInput<'settings.update'>): Promise<void>;
  /** Pauses or resumes the proxy; the status that comes back is the one shown. */
  setPaused(paused: boolean): Promise<void>;
}

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(api: KeywayClient): SettingsStore {
  return createStore<SettingsState>()((set) => ({
    settings: null,
    status: null,
    error: null,
    load: loadLatest(
      () => api['settings.get']({}),
      (settings) => set({ settings, error: null }),
      (error) => set({ error }),
    ),
    loadStatus: loadLatest(
      () => api.status({}),
      (status) => set({ status }),
      (error) => set({ error }),
    ),
    async update(patch) {
      const settings = await api['settings.update'](patch);
      set({ settings });
    },
    async setPaused(paused) {
      const status = await api['proxy.setPaused']({ paused });
      set({ status });
    },
  }));
}
