import type { AuditEntry } from '../../../shared/domain';
import type { KeywayEvents } from '../../../shared/contract';
import type { EventBus } from '../events';
import type { MetadataStore } from '../store/metadata-store';
import type { StoreDocument } from '../store/store-document';
import type { AuditLog } from './audit-log';

/** What recording needs: the log, the subscribers, the clock. */
export interface AuditTarget {
  auditLog: Pick<AuditLog, 'append'>;
  events: EventBus;
  now: () => Date;
}

/** An audit entry as a change states it; `record` adds the time. */
export type AuditDraft = Omit<AuditEntry, 'at'>;

/** The part of the state a shell refetches on `state.changed`. */
export type StateArea = KeywayEvents['state.changed']['what'];

/** Appends to the audit log and tells subscribers, in that order. */
export async function record(ctx: AuditTarget, entry: AuditDraft): Promise<void> {
  const full: AuditEntry = { at: ctx.now().toISOString(), ...entry };
  await ctx.auditLog.append(full);
  ctx.events.emit('audit.appended', full);
}

/**
 * The epilogue of every change a user can see, called once its store write has landed: the
 * audit entry (none for a change that is not audited), then one `state.changed` per area it
 * touched, in the order given. A failed audit append rejects before anything is announced.
 */
export async function announce(
  ctx: AuditTarget,
  entry: AuditDraft | null,
  ...areas: StateArea[]
): Promise<void> {
  if (entry) await record(ctx, entry);
  for (const what of areas) ctx.events.emit('state.changed', { what });
}

/**
 * One store write and its epilogue (`announce`): the audit entry only after the write landed,
 * built from what the write returned when it is a function. Returns what `change` returned.
 */
export async function commit<T>(
  ctx: AuditTarget & { store: Pick<MetadataStore, 'update'> },
  change: (draft: StoreDocument) => T,
  entry: AuditDraft | ((result: T) => AuditDraft) | null,
  ...areas: StateArea[]
): Promise<T> {
  const result = await ctx.store.update(change);
  await announce(ctx, typeof entry === 'function' ? entry(result) : entry, ...areas);
  return result;
}
