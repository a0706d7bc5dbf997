import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditEntry } from '../../shared/domain';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface ActivityFilter {
  key: string;
  client: string;
  event: string;
}

export interface ActivityState {
  /** Oldest first, as the audit log keeps them. */
  entries: AuditEntry[];
  filter: ActivityFilter;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  setFilter(patch: Partial<ActivityFilter>): Promise<void>;
  append(entry: AuditEntry): void;
}

export type ActivityStore = StoreApi<ActivityState>;

const KEEP = 1000;

export function matchesFilter(entry: AuditEntry, f: ActivityFilter): boolean {
  return (
    (!f.key || entry.key === f.key) &&
    (!f.client || entry.client === f.client) &&
    (!f.event || entry.event === f.event)
  );
}

export function createActivityStore(api: KeywayClient): ActivityStore {
  return createStore<ActivityState>()((set, get) => {
    const load = loadLatest(
      () => {
        const { key, client, event } = get().filter;
        return api['audit.list']({
          limit: KEEP,
          ...(key ? { key } : {}),
          ...(client ? { client } : {}),
          ...(event ? { event } : {}),
        });
      },
      (entries) => set({ entries, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    );
    return {
      entries: [],
      filter: { key: '', client: '', event: '' },
      loaded: false,
      error: null,
      load,
      async setFilter(patch) {
        set({ filter: { ...get().filter, ...patch } });
        await load();
      },
      append(entry) {
        if (!matchesFilter(entry, get().filter)) return;
        set({ entries: [...get().entries, entry].slice(-KEEP) });
      },
    };
  });
}
