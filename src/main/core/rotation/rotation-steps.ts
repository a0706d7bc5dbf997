import type { StepResult } from '../../../shared/contract';
import { record, type ServiceContext } from '../service/service-context';

/**
 * Runs one rotation step: timed, emitted live (the UI ticks it off) and written to the audit
 * log, whether it succeeds or fails. The audit line is written before the next step starts, so
 * the log tells the same story as the journal even when the process dies right after.
 */
export class StepRunner {
  readonly steps: StepResult[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly key: string,
    private readonly rotationId: string,
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
    this.ctx.events.emit('rotation.step', {
      key: this.key,
      rotationId: this.rotationId,
      ...result,
    });
    // A full disk must not turn a finished vendor call into a failed step.
    await record(this.ctx, {
      event: `rotation.${result.step}`,
      key: this.key,
      client: null,
      detail: {
        rotationId: this.rotationId,
        ok: result.ok,
        ms: result.ms,
        ...(result.message ? { message: result.message } : {}),
      },
    }).catch(() => undefined);
  }
}
