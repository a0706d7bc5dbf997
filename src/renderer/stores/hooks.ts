import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Stores } from './index';
import type { KeysState } from './keys-store';
import type { AccountsState } from './accounts-store';
import type { VendorsState } from './vendors-store';
import type { ConnectionsState } from './connections-store';
import type { ClientsState } from './clients-store';
import type { RotationState } from './rotation-store';
import type { ActivityState } from './activity-store';
import type { SettingsState } from './settings-store';
import type { NoticesState } from './notices-store';
import type { UiState } from './ui-store';
import type { TrafficState } from './traffic-store';

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('StoresContext is missing: render inside <StoresContext value={…}>');
  return stores;
}

/** Selector hooks, one per store: components subscribe to just the slice they render. */
export const useKeys = <T>(sel: (s: KeysState) => T): T => useStore(useStores().keys, sel);
export const useAccounts = <T>(sel: (s: AccountsState) => T): T =>
  useStore(useStores().accounts, sel);
export const useVendors = <T>(sel: (s: VendorsState) => T): T => useStore(useStores().vendors, sel);
export const useConnections = <T>(sel: (s: ConnectionsState) => T): T =>
  useStore(useStores().connections, sel);
export const useClients = <T>(sel: (s: ClientsState) => T): T => useStore(useStores().clients, sel);
export const useRotation = <T>(sel: (s: RotationState) => T): T =>
  useStore(useStores().rotation, sel);
export const useActivity = <T>(sel: (s: ActivityState) => T): T =>
  useStore(useStores().activity, sel);
export const useSettings = <T>(sel: (s: SettingsState) => T): T =>
  useStore(useStores().settings, sel);
export const useNotices = <T>(sel: (s: NoticesState) => T): T => useStore(useStores().notices, sel);
export const useTraffic = <T>(sel: (s: TrafficState) => T): T => useStore(useStores().traffic, sel);
export const useUi = <T>(sel: (s: UiState) => T): T => useStore(useStores().ui, sel);
