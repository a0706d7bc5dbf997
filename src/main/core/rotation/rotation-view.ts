import type { RotationView } from '../../../shared/contract';
import { findAccount, findKey } from '../store/lookups';
import type { RotationRecord } from '../store/store-document';
import type { RotationContext } from './rotation-context';
import { guidedSteps } from './vendor-calls';

/** How a journaled rotation looks to the UI and the CLI (and in `rotation.changed`). */
export function rotationView(ctx: RotationContext, r: RotationRecord): RotationView {
  const key = findKey(ctx.store.current, r.key);
  const account = findAccount(ctx.store.current, key.account);
  return {
    id: r.id,
    key: r.key,
    step: r.step,
    startedAt: r.startedAt,
    updatedAt: r.updatedAt,
    waitingFor: r.waitingFor,
    message: r.message,
    guided: guidedSteps(ctx, account),
    oldVersion: key.versions.find((v) => v.id === r.oldVersionId) ?? null,
    newVersion: r.newVersion,
    nextRetryAt: r.nextRetryAt,
  };
}
