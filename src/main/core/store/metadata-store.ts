import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeywayError } from '../../../shared/errors';
import { writeFileAtomic } from './atomic-file';
import { migrate, StoreVersionError } from './migrations';
import { emptyDocument, STORE_FILE, type StoreDocument } from './store-document';
import { checkStoreDocument } from './store-schema';

/**
 * The metadata store: one versioned JSON document, replaced atomically on every change. Updates
 * are serialized and applied to a copy, so a failed update changes nothing on disk or in memory.
 */
export class MetadataStore {
  private doc: StoreDocument;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    /** Null for a store that lives only in memory (unit tests of the code above the store). */
    readonly path: string | null,
    doc: StoreDocument,
  ) {
    this.doc = doc;
  }

  /** The same store semantics with nothing on disk. */
  static inMemory(doc: StoreDocument = emptyDocument()): MetadataStore {
    return new MetadataStore(null, structuredClone(doc));
  }

  /**
   * Opens (or creates) the store. A file that cannot be read or understood is never
   * overwritten: opening fails with a message naming the file and the reason.
   */
  static async open(dataDir: string): Promise<MetadataStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, STORE_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw refuse(path, (err as Error).message);
      const store = new MetadataStore(path, emptyDocument());
      await store.persist(store.doc);
      return store;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw refuse(path, `it is not valid JSON (${(err as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw refuse(path, 'it is not a JSON object');
    let migrated: { doc: StoreDocument; migrated: boolean };
    try {
      migrated = migrate(raw as Record<string, unknown>);
    } catch (err) {
      if (err instanceof StoreVersionError) throw refuse(path, err.message);
      throw err;
    }
    const issue = checkStoreDocument(migrated.doc);
    if (issue) {
      throw refuse(
        path,
        `it does not look like a Keyway store (${issue.path.join('.') || 'document'}: ${issue.message})`,
      );
    }
    const store = new MetadataStore(path, migrated.doc);
    if (migrated.migrated) await store.persist(store.doc);
    return store;
  }

  /** The current document. Treat as read-only; change it only through `update`. */
  get current(): Readonly<StoreDocument> {
    return this.doc;
  }

  /**
   * Applies `change` to a copy of the document and writes it atomically before it becomes the
   * current state. Calls run one at a time, in order.
   */
  update<T>(change: (draft: StoreDocument) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.doc);
      const result = change(draft);
      await this.persist(draft);
      this.doc = draft;
      return result;
    });
    // The caller gets `run`'s failure; the queue only orders the next write after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async persist(doc: StoreDocument): Promise<void> {
    if (this.path === null) return;
    await writeFileAtomic(this.path, JSON.stringify(doc, null, 2) + '\n', 0o600);
  }
}

function refuse(path: string, why: string): KeywayError {
  return new KeywayError(
    'conflict',
    `Keyway cannot read its store ${path}: ${why}. The file was left untouched; restore it from a backup, ` +
      'or move it away to start with an empty store.',
  );
}
