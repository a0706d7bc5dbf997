import { clientSnippet } from '../../shared/client-config';
import type { ManifestIssue } from './manifest-source';
import type { PlanSummary } from './provision-plan';
import type { PlanDraft, PlanItem, TokenShown } from './plan-types';

const MARK: Record<PlanItem['action'], string> = {
  create: '+',
  change: '~',
  leave: '=',
  remove: '-',
  pending: '…',
};

export function formatIssues(file: string, issues: ManifestIssue[]): string {
  const lines = issues.map(
    (i) =>
      `${i.line > 0 ? `${file}:${i.line}:${i.column}` : 'standard input'}: ${i.field && i.line > 0 ? `${i.field}: ` : ''}${i.message}`,
  );
  return (
    lines.join('\n') +
    `\n${issues.length} problem${issues.length === 1 ? '' : 's'} in ${file}; nothing was changed\n`
  );
}

export function formatPlan(file: string, draft: PlanDraft, summary: PlanSummary): string {
  const head =
    `Plan for ${file}: ${summary.create} to create, ${summary.change} to change, ` +
    `${summary.leave} to leave, ${summary.remove} to remove` +
    (summary.pending ? `, ${summary.pending} pending` : '');
  const lines = [head];
  for (const item of draft.items) {
    const changes = (item.changes ?? [])
      .map((c) => `${c.field}: ${show(c.from)} → ${show(c.to)}`)
      .join('; ');
    lines.push(
      `  ${MARK[item.action]} ${item.kind} ${item.name}${item.detail ? ` — ${item.detail}` : ''}${changes ? ` (${changes})` : ''}`,
    );
  }
  if (draft.unmanaged.length > 0) {
    lines.push(
      `  ${draft.unmanaged.length} in Keyway but not in the file (kept; --prune removes them): ` +
        draft.unmanaged.map((u) => `${u.kind} ${u.name}`).join(', '),
    );
  }
  if (draft.steps.length === 0) lines.push('Nothing to do: Keyway already matches the file.');
  return lines.join('\n') + '\n';
}

/** The token line printed the moment a client exists, with its config entry when `for` is set. */
export function formatToken(t: TokenShown): string {
  const lines = [`client ${t.client} (${t.connection}) token, shown once: ${t.token}`];
  if (t.for === 'claude-desktop') {
    lines.push(
      `  Claude Desktop reads it from a file: keyway client config ${t.client} --for claude-desktop --install`,
    );
  } else if (t.for) {
    const s = clientSnippet({
      kind: t.for,
      serverName: t.connection,
      url: t.url,
      slug: t.connection,
      token: t.token,
    });
    lines.push(
      `  ${s.title} — ${s.where}:`,
      ...s.text
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  return lines.join('\n') + '\n';
}

function show(v: unknown): string {
  return v === null || v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v);
}
