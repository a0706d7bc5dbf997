import { STORE_VERSION, type StoreDocument } from './store-document';

/**
 * Each entry upgrades a document from version N to N+1. Migrations only ever run forward and on
 * a copy; the original file is replaced only after the whole chain succeeded.
 */
type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

const migrations: Record<number, Migration> = {
  // 0 → 1: documents written before versioning had no rotation journal.
  0: (doc) => ({ ...doc, rotations: doc.rotations ?? [], version: 1 }),
};

export class StoreVersionError extends Error {}

export function migrate(raw: Record<string, unknown>): { doc: StoreDocument; migrated: boolean } {
  let doc = raw;
  let version = typeof doc.version === 'number' ? doc.version : 0;
  if (version > STORE_VERSION) {
    throw new StoreVersionError(
      `it was written by a newer Keyway (store version ${version}, this one reads up to ${STORE_VERSION}); update Keyway`,
    );
  }
  const from = version;
  while (version < STORE_VERSION) {
    const step = migrations[version];
    if (!step) throw new StoreVersionError(`no migration from store version ${version}`);
    doc = step(doc);
    version += 1;
  }
  return { doc: doc as unknown as StoreDocument, migrated: from !== STORE_VERSION };
}
