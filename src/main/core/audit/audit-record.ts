import type { AuditEntry } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { AuditLog } from './audit-log';

/** What recording needs: the log, the subscribers, the clock. */
export interface AuditTarget {
  auditLog: Pick<AuditLog, 'append'>;
  events: EventBus;
  now: () => Date;
}

/** Appends to the audit log and tells subscribers, in that order. */
export async function record(ctx: AuditTarget, entry: Omit<AuditEntry, 'at'>): Promise<void> {
  const full: AuditEntry = { at: ctx.now().toISOString(), ...entry };
  await ctx.auditLog.append(full);
  ctx.events.emit('audit.appended', full);
}
