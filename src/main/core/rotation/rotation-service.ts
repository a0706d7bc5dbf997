import type { RotationView } from '../../../shared/contract';
import type { RotationRecord } from '../store/store-document';
import type { RotationContext, RotationProxyPort, VersionHolder } from './rotation-context';
import type { RotationSetup } from './rotation-setup';
import { RotationEngine } from './rotation-engine';
import { RotationScheduler } from './rotation-scheduler';
import { rotationView } from './rotation-view';

export { DEFAULT_ROTATION, type RotationSetup } from './rotation-setup';

/** The rotation engine and its scheduler, owned by the service; the runtime starts and stops it. */
export class RotationService {
  readonly engine: RotationEngine;
  readonly scheduler: RotationScheduler;

  constructor(
    private readonly ctx: RotationContext,
    setup: RotationSetup,
    proxy: RotationProxyPort,
    holders: readonly VersionHolder[] = [],
  ) {
    // The engine asks for a retry only once it runs, after the scheduler below exists.
    const retryAt = (at: Date): void => this.scheduler.retryAt(at);
    this.engine = new RotationEngine(ctx, setup, retryAt, proxy, holders);
    this.scheduler = new RotationScheduler(ctx, this.engine, setup.schedulerTickMs);
  }

  view(r: RotationRecord): RotationView {
    return rotationView(this.ctx, r);
  }

  pending(ref: string): RotationView | null {
    const r = this.engine.journal.forKey(ref, 'rotate');
    return r ? this.view(r) : null;
  }
}
