import type { KeywayApi } from '../../shared/contract';
import type { PlanStep, TokenShown } from './plan-types';

interface StepOutcome {
  n: number;
  label: string;
  ok: boolean;
  ms: number;
  message?: string;
}

interface ApplyResult {
  outcomes: StepOutcome[];
  tokens: TokenShown[];
  warnings: string[];
  /** The first step that failed; no step was started after it. */
  failed: StepOutcome | null;
}

interface ApplyHooks {
  /** One line per step as it ends, so a long run is visibly alive. */
  progress: (line: string) => void;
  /** Called the moment a client is created: a run killed later must not lose its token. */
  token: (token: TokenShown) => void;
}

/**
 * Runs the steps in order and starts nothing after the first failure. Every step is one
 * operation that happened or not, and the plan is recomputed from Keyway's state on the next
 * run, so running the same file again finishes the job. (One at a time on purpose: measured,
 * concurrent key creates only queue on the keychain daemon and the store's writes.)
 */
export async function applyPlan(
  api: KeywayApi,
  steps: PlanStep[],
  hooks: ApplyHooks,
): Promise<ApplyResult> {
  const result: ApplyResult = { outcomes: [], tokens: [], warnings: [], failed: null };
  const width = String(steps.length).length;
  const runOne = async (step: PlanStep, n: number): Promise<void> => {
    const started = performance.now();
    try {
      const effect = await step.run(api);
      const ms = Math.round(performance.now() - started);
      result.outcomes.push({ n, label: step.label, ok: true, ms });
      hooks.progress(`${counter(n)} ${step.label} ✓ ${ms} ms`);
      if (effect.token) {
        result.tokens.push(effect.token);
        hooks.token(effect.token);
      }
      result.warnings.push(...(effect.warnings ?? []));
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      const message = ((err as Error).message || 'failed').split('\n')[0] ?? 'failed';
      const outcome = { n, label: step.label, ok: false, ms, message };
      result.outcomes.push(outcome);
      result.failed ??= outcome;
      hooks.progress(`${counter(n)} ${step.label} ✗ ${ms} ms — ${message}`);
    }
  };
  const counter = (k: number): string => `[${String(k).padStart(width)}/${steps.length}]`;

  for (const [i, step] of steps.entries()) {
    await runOne(step, i + 1);
    if (result.failed) break;
  }
  return result;
}
