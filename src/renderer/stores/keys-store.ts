import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KeyChange, KeyRevoked, KeyView, OpInput } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface KeysState {
  keys: KeyView[];
  loaded: boolean;
  error: string | null;
  /** `key.due` events: ref → when it is due (the service's own reckoning). */
  due: Record<string, string>;
  load(): Promise<void>;
  /** Mints the key at the vendor (API vendors); the secret never comes back here. */
  create(input: OpInput<'key.create'>): Promise<KeyChange>;
  /** Stores a pasted key; the secret goes straight to the service. */
  add(input: OpInput<'key.add'>): Promise<KeyChange>;
  revoke(ref: string): Promise<KeyRevoked>;
  remove(ref: string): Promise<void>;
  setPolicy(ref: string, rotateEvery: number | null): Promise<KeyView>;
  /** Desktop only: main writes the clipboard; the key never reaches the renderer. */
  copy(ref: string): Promise<{ copied: boolean; clearAfterSeconds: number }>;
  markDue(ref: string, dueAt: string): void;
}

export type KeysStore = StoreApi<KeysState>;

export function createKeysStore(api: KeywayClient): KeysStore {
  return createStore<KeysState>()((set, get) => ({
    keys: [],
    loaded: false,
    error: null,
    due: {},
    load: loadLatest(
      () => api['key.list']({}),
      (keys) => set({ keys, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    ),
    async create(input) {
      const change = await api['key.create'](input);
      await get().load();
      return change;
    },
    async add(input) {
      const change = await api['key.add'](input);
      await get().load();
      return change;
    },
    async revoke(ref) {
      const result = await api['key.revoke']({ ref });
      await get().load();
      return result;
    },
    async remove(ref) {
      await api['key.remove']({ ref });
      await get().load();
    },
    async setPolicy(ref, rotateEvery) {
      const view = await api['key.setPolicy']({ ref, rotateEvery });
      set({ keys: get().keys.map((k) => (k.ref === ref ? view : k)) });
      return view;
    },
    copy: (ref) => api['key.copy']({ ref }),
    markDue(ref, dueAt) {
      set({ due: { ...get().due, [ref]: dueAt } });
    },
  }));
}
