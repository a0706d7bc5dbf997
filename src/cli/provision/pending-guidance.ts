import type { GuidedSteps, KeywayApi, VendorInfo } from '../../shared/contract';
import type { PendingItem } from './plan-types';

interface PendingGuidance extends PendingItem {
  dashboardUrl?: string | null;
  steps?: string[];
  /** How to hand Keyway the key once made. */
  command?: string;
  warnings?: string[];
}

/**
 * What to do for each key a vendor only makes in its dashboard: the vendor's own steps on the
 * account's host, then the one command that stores it (or the stdin line for the next run).
 */
export async function guidePending(
  api: KeywayApi,
  pending: PendingItem[],
  vendorOf: (account: string) => VendorInfo | undefined,
  accountExists: (account: string) => boolean,
): Promise<PendingGuidance[]> {
  const out: PendingGuidance[] = [];
  for (const p of pending) {
    if (p.kind !== 'key' || !p.account) {
      out.push(p);
      continue;
    }
    let guided: GuidedSteps | null = vendorOf(p.account)?.guided ?? null;
    let warnings: string[] = [];
    if (accountExists(p.account)) {
      const report = await api['scope.check']({ account: p.account, scopes: p.scopes ?? [] });
      guided = report.guided ?? guided;
      warnings = report.warnings;
    }
    const scopeFlags = (p.scopes ?? []).map((s) => ` --scope ${s}`).join('');
    out.push({
      ...p,
      ...(guided ? { dashboardUrl: guided.dashboardUrl, steps: guided.createSteps } : {}),
      command: `pbpaste | keyway key add ${p.name} --secret-stdin${scopeFlags}`,
      ...(warnings.length ? { warnings } : {}),
    });
  }
  return out;
}

export function formatGuidance(items: PendingGuidance[]): string {
  if (items.length === 0) return '';
  const lines = [''];
  const keys = items.filter((g) => g.kind === 'key');
  const others = items.filter((g) => g.kind !== 'key');
  if (keys.length > 0)
    lines.push('Paste needed (these vendors make keys only in their dashboards):');
  for (const g of keys) {
    lines.push(`  key ${g.name}${g.dashboardUrl ? ` — ${g.dashboardUrl}` : ''}`);
    (g.steps ?? []).forEach((s, i) => lines.push(`    ${i + 1}. ${s}`));
    lines.push(`    then: ${g.command ?? ''}`);
    lines.push(
      `    (or add the line "${g.name}=KEY" to the --credentials-stdin input of the next run)`,
    );
    for (const w of g.warnings ?? []) lines.push(`    warning: ${w}`);
  }
  // OAuth accounts: nothing to paste, the user logs in.
  if (others.length > 0) lines.push('Still to do:');
  for (const g of others) lines.push(`  ${g.kind} ${g.name}: ${g.reason}`);
  return lines.join('\n') + '\n';
}
