import type { Account, Client, Connection, Key } from '../../../shared/domain';

export const STORE_VERSION = 1;
export const STORE_FILE = 'keyway-store.json';

/** A client as stored: the token itself is never kept, only its SHA-256. */
export interface StoredClient extends Client {
  tokenHash: string;
}

export interface Settings {
  proxyPort: number;
  defaultRotateEvery: number | null;
  launchAtLogin: boolean;
}

/** The journal of a rotation; filled in by the rotation engine. */
export interface RotationRecord {
  id: string;
  key: string;
  step: string;
  startedAt: string;
  updatedAt: string;
  detail: Record<string, unknown>;
}

export interface StoreDocument {
  version: typeof STORE_VERSION;
  accounts: Account[];
  keys: Key[];
  connections: Connection[];
  clients: StoredClient[];
  rotations: RotationRecord[];
  settings: Settings;
}

export function emptyDocument(): StoreDocument {
  return {
    version: STORE_VERSION,
    accounts: [],
    keys: [],
    connections: [],
    clients: [],
    rotations: [],
    settings: { proxyPort: 8931, defaultRotateEvery: 90, launchAtLogin: false },
  };
}
