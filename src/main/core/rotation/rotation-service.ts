import type { RotationView } from '../../../shared/contract';
import { findAccount, findKey } from '../store/lookups';
import type { RotationRecord } from '../store/store-document';
import type { RotationContext, VersionHolder } from './rotation-context';
import type { RotationOptions } from './rotation-core';
import { RotationEngine } from './rotation-engine';
import { RotationScheduler } from './rotation-scheduler';
import { endpointFor } from './vendor-calls';

export interface RotationSetup extends RotationOptions {
  schedulerTickMs: number;
}

export const DEFAULT_ROTATION: RotationSetup = {
  drainMs: 30_000,
  retryBaseMs: 5_000,
  schedulerTickMs: 60_000,
};

/** The rotation engine and its scheduler, owned by the service; the runtime starts and stops it. */
export class RotationService {
  readonly engine: RotationEngine;
  readonly scheduler: RotationScheduler;

  constructor(
    private readonly ctx: RotationContext,
    setup: RotationSetup,
    holders: readonly VersionHolder[] = [],
  ) {
    this.engine = new RotationEngine(ctx, setup, (at) => this.scheduler.retryAt(at), holders);
    this.scheduler = new RotationScheduler(ctx, this.engine, setup.schedulerTickMs);
    this.engine.describe = (r) => this.view(r);
  }

  view(r: RotationRecord): RotationView {
    const key = findKey(this.ctx.store.current, r.key);
    const account = findAccount(this.ctx.store.current, key.account);
    const adapter = this.ctx.vendor(account.vendor);
    return {
      id: r.id,
      key: r.key,
      step: r.step,
      startedAt: r.startedAt,
      updatedAt: r.updatedAt,
      waitingFor: r.waitingFor,
      message: r.message,
      guided: adapter.guidedFor
        ? adapter.guidedFor(endpointFor(this.ctx, account))
        : adapter.guided,
      oldVersion: key.versions.find((v) => v.id === r.oldVersionId) ?? null,
      newVersion: r.newVersion,
      nextRetryAt: r.nextRetryAt,
    };
  }

  pending(ref: string): RotationView | null {
    const r = this.engine.journal.forKey(ref, 'rotate');
    return r ? this.view(r) : null;
  }
}
