import { randomUUID } from 'node:crypto';
import type { MetadataStore } from './metadata-store';
import type { JournalStep, RotationRecord } from './store-document';

type JournalPatch = Partial<Omit<RotationRecord, 'id' | 'key' | 'kind' | 'startedAt'>>;

/**
 * The rotation journal lives in the metadata store, so each step is as durable as the store's
 * atomic write: a step is journaled before the next one starts. Every new key version (a create
 * or a rotation) is journaled here before its vendor is asked for it.
 */
export class RotationJournal {
  constructor(private readonly ctx: { store: MetadataStore; now: () => Date }) {}

  async begin(
    key: string,
    kind: RotationRecord['kind'],
    step: JournalStep,
    init: Pick<RotationRecord, 'vendorName' | 'oldVersionId'>,
  ): Promise<RotationRecord> {
    const now = this.ctx.now().toISOString();
    const record: RotationRecord = {
      id: randomUUID(),
      key,
      kind,
      step,
      startedAt: now,
      updatedAt: now,
      vendorName: init.vendorName,
      oldVersionId: init.oldVersionId,
      newVersionId: randomUUID(),
      newVersion: null,
      waitingFor: null,
      attempts: 0,
      nextRetryAt: null,
      message: null,
    };
    await this.ctx.store.update((doc) => void doc.rotations.push(record));
    return record;
  }

  async advance(id: string, patch: JournalPatch): Promise<RotationRecord> {
    const now = this.ctx.now().toISOString();
    return this.ctx.store.update((doc) => {
      const r = doc.rotations.find((x) => x.id === id);
      if (!r) throw new Error(`rotation ${id} is not in the journal`);
      Object.assign(r, patch, { updatedAt: now });
      return { ...r };
    });
  }

  async drop(id: string): Promise<void> {
    await this.ctx.store.update((doc) => {
      doc.rotations = doc.rotations.filter((r) => r.id !== id);
    });
  }

  byId(id: string): RotationRecord | undefined {
    const r = this.ctx.store.current.rotations.find((x) => x.id === id);
    return r && { ...r };
  }

  /** The key's journaled change; its rotation, rather than a leftover `key.create`, when asked. */
  forKey(key: string, kind?: RotationRecord['kind']): RotationRecord | undefined {
    return this.ctx.store.current.rotations.find(
      (r) => r.key === key && (kind === undefined || r.kind === kind),
    );
  }

  all(): RotationRecord[] {
    return this.ctx.store.current.rotations.map((r) => ({ ...r }));
  }
}
