import { planAccounts } from './plan-accounts';
import { planKeys } from './plan-keys';
import { planLinks } from './plan-links';
import { planPrune } from './plan-prune';
import { emptyDraft, type PlanDraft, type PlanInput, type PlanAction } from './plan-types';

/**
 * The plan: every item of the file compared with what Keyway has, and the calls that make them
 * equal, in dependency order (accounts, keys, connections, clients; removals last, dependents
 * first). Computed from the current state each run, so a second run after a complete one plans
 * nothing, and a run after an interrupted one plans exactly what is left.
 */
export async function buildPlan(input: PlanInput): Promise<PlanDraft> {
  const draft = emptyDraft();
  planAccounts(input, draft);
  const waitingKeys = await planKeys(input, draft);
  planLinks(input, draft, waitingKeys);
  planPrune(input, draft);
  draft.issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return draft;
}

export type PlanSummary = Record<PlanAction, number>;

export function summarize(draft: PlanDraft): PlanSummary {
  const s: PlanSummary = { create: 0, change: 0, leave: 0, remove: 0, pending: 0 };
  for (const item of draft.items) s[item.action]++;
  return s;
}
