import type { StepResult } from '../../../shared/contract';
import { record, type AuditTarget } from '../audit/audit-record';
import type { Logger } from '../log/logger';

/** Which journaled change a runner reports for; none for a change that is not journaled. */
interface StepOwner {
  rotationId: string;
  kind: 'create' | 'rotate';
}

/**
 * Runs one step of a key change, timed. For a journaled change (a create or a rotation) each
 * step is also emitted live (the UI ticks it off) and written to the audit log, whether it
 * succeeds or fails; the audit line is written before the next step starts, so the log tells
 * the same story as the journal even when the process dies right after. A change that is not
 * journaled (`key add`, `key revoke`) only collects its timings for the answer.
 */
export class StepRunner {
  readonly steps: StepResult[] = [];

  constructor(
    private readonly ctx: AuditTarget & { log: Logger },
    private readonly key: string,
    private readonly owner: StepOwner | null,
  ) {}

  async run<T>(
    step: string,
    work: () => Promise<T>,
    message?: (result: T) => string | undefined,
  ): Promise<T> {
    const started = performance.now();
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await this.done({
        step,
        ok: false,
        ms: Math.round(performance.now() - started),
        message: (err as Error).message,
      });
      throw err;
    }
    const said = message?.(result);
    await this.done({
      step,
      ok: true,
      ms: Math.round(performance.now() - started),
      ...(said ? { message: said } : {}),
    });
    return result;
  }

  /** A step that is not an action (e.g. "waiting for you to revoke the old key"). */
  note(step: string, ok: boolean, message: string): Promise<void> {
    return this.done({ step, ok, ms: 0, message });
  }

  private async done(result: StepResult): Promise<void> {
    this.steps.push(result);
    if (!this.owner) return;
    const { rotationId, kind } = this.owner;
    this.ctx.events.emit('rotation.step', { key: this.key, rotationId, kind, ...result });
    // A full disk must not turn a finished vendor call into a failed step.
    await record(this.ctx, {
      event: `rotation.${result.step}`,
      key: this.key,
      client: null,
      detail: {
        rotationId,
        ok: result.ok,
        ms: result.ms,
        ...(result.message ? { message: result.message } : {}),
      },
    }).catch((err: unknown) =>
      this.ctx.log.warn(`could not audit step ${result.step} of ${this.key}`, err),
    );
  }
}
