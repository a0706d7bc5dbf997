import type { StepResult } from '../../shared/contract';

/** The journaled lifecycle, in order (DESIGN.md: mint → store → verify → swap → drain → revoke → forget). */
export const API_ROTATION_STEPS = ['mint', 'store', 'verify', 'swap', 'drain', 'revoke', 'forget'];
/** Guided vendors: the user pastes the new key and revokes the old one in the dashboard. */
export const GUIDED_ROTATION_STEPS = ['store', 'verify', 'swap', 'drain'];

const ALIASES: Record<string, string> = {
  minted: 'mint',
  stored: 'store',
  verified: 'verify',
  swapped: 'swap',
  drained: 'drain',
  revoked: 'revoke',
  forgot: 'forget',
  forgotten: 'forget',
  checked: 'check',
};

const LABELS: Record<string, string> = {
  check: 'Checked the pasted key',
  mint: 'Minted the new key',
  store: 'Stored it in the keychain',
  verify: 'Verified it at the vendor',
  swap: 'Swapped it into the proxy',
  drain: 'Drained requests on the old key',
  revoke: 'Revoked the old key',
  forget: 'Forgot the old secret',
  'confirm-revoked': 'Confirmed the vendor refuses the old key',
};

/** Step names may come as verbs ("mint") or past tense ("minted"); compare them as one. */
export function canonicalStep(step: string): string {
  const s = step.toLowerCase();
  return ALIASES[s] ?? s;
}

export function stepLabel(step: string): string {
  const s = canonicalStep(step);
  return LABELS[s] ?? s.charAt(0).toUpperCase() + s.slice(1);
}

/** Later reports of a step replace earlier ones; new steps keep their arrival order. */
export function mergeSteps(current: StepResult[], incoming: StepResult[]): StepResult[] {
  const out = [...current];
  for (const step of incoming) {
    const i = out.findIndex((s) => canonicalStep(s.step) === canonicalStep(step.step));
    if (i === -1) out.push(step);
    else out[i] = step;
  }
  return out;
}

export type StepRowState = 'done' | 'failed' | 'running' | 'pending' | 'skipped';

export interface StepRow {
  step: string;
  label: string;
  state: StepRowState;
  ms: number | null;
  message: string | null;
}

/**
 * What the rotation dialog lists: every expected step (so the user sees what is still to
 * come), each ticked as its report arrives, plus any step the service reports that we did not
 * expect. After a failure the remaining steps are shown as not run.
 */
export function stepRows(
  expected: string[],
  reported: StepResult[],
  status: 'running' | 'done' | 'failed' | 'waiting',
): StepRow[] {
  const byName = new Map(reported.map((s) => [canonicalStep(s.step), s]));
  const names = [...expected];
  for (const s of reported)
    if (!names.includes(canonicalStep(s.step))) names.push(canonicalStep(s.step));
  let runningShown = false;
  return names.map((name) => {
    const s = byName.get(name);
    if (s) {
      return {
        step: name,
        label: stepLabel(name),
        state: s.ok ? 'done' : 'failed',
        ms: s.ms,
        message: s.message ?? null,
      };
    }
    let state: StepRowState = 'pending';
    if (status === 'failed') state = 'skipped';
    else if (status === 'running' && !runningShown) {
      state = 'running';
      runningShown = true;
    }
    return { step: name, label: stepLabel(name), state, ms: null, message: null };
  });
}
