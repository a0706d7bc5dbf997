import type { Account, Client, Connection, Key, KeyVersion } from '../../../shared/domain';

export const STORE_VERSION = 1;
export const STORE_FILE = 'keyway-store.json';

/** A client as stored: the token itself is never kept, only its SHA-256. */
export interface StoredClient extends Client {
  tokenHash: string;
}

interface Settings {
  proxyPort: number;
  defaultRotateEvery: number | null;
  launchAtLogin: boolean;
}

/**
 * The last step of a key change that is known to have completed. Each is written before the
 * next step starts, so recovery after a crash knows exactly what may have happened since.
 */
export type JournalStep =
  'mint' | 'stored' | 'verified' | 'swapped' | 'drained' | 'revoking' | 'rolling-back';

/** One journaled key change: minting a new key (`create`) or rotating an existing one. */
export interface RotationRecord {
  id: string;
  key: string;
  kind: 'create' | 'rotate';
  step: JournalStep;
  startedAt: string;
  updatedAt: string;
  /** The name the new key carries at the vendor, so an orphan can be found after a crash. */
  vendorName: string | null;
  oldVersionId: string | null;
  /** Chosen before minting, so the keychain entry name is known even if Keyway dies. */
  newVersionId: string;
  /** Known once the new secret is in the keychain. */
  newVersion: KeyVersion | null;
  waitingFor: 'user-revoke' | 'revoke-retry' | null;
  attempts: number;
  nextRetryAt: string | null;
  message: string | null;
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
