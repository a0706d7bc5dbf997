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

/** Two reports of one audit entry (its live event and its row in a list) compare equal. */
function sameEntry(a: AuditEntry, b: AuditEntry): boolean {
  return (
    a.at === b.at &&
    a.event === b.event &&
    a.key === b.key &&
    a.client === b.client &&
    (a.connection ?? null) === (b.connection ?? null) &&
    (a.account ?? null) === (b.account ?? null)
  );
}

export function createActivityStore(api: KeywayClient): ActivityStore {
  return createStore<ActivityState>()((set, get) => {
    // Entries that arrived live while a list was on its way: the list may have been read before
    // they were written, so they are kept and added after it unless it already has them. Kept
    // only while a list is loading: between loads, nothing needs them and they would pile up.
    let arrivedDuringLoad: AuditEntry[] = [];
    let listing = false;
    const load = loadLatest(
      () => {
        arrivedDuringLoad = [];
        listing = true;
        const { key, client, event } = get().filter;
        return api['audit.list']({
          limit: KEEP,
          ...(key ? { key } : {}),
          ...(client ? { client } : {}),
          ...(event ? { event } : {}),
        });
      },
      (listed) => {
        listing = false;
        const missed = arrivedDuringLoad.filter(
          (e) => matchesFilter(e, get().filter) && !listed.some((l) => sameEntry(l, e)),
        );
        arrivedDuringLoad = [];
        set({ entries: [...listed, ...missed].slice(-KEEP), loaded: true, error: null });
      },
      (error) => {
        listing = false;
        arrivedDuringLoad = [];
        set({ error, loaded: true });
      },
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
        if (listing) arrivedDuringLoad.push(entry);
        if (!matchesFilter(entry, get().filter)) return;
        set({ entries: [...get().entries, entry].slice(-KEEP) });
      },
    };
  });
}
