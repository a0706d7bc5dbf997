import { readFile } from 'node:fs/promises';
import type { CommandContext } from '../command';
import { json } from '../output';
import { KeywayError } from '../../shared/errors';
import { loadManifest } from './manifest-load';
import type { ManifestIssue } from './manifest-source';
import type { Manifest } from './manifest-schema';
import { buildPlan, summarize } from './provision-plan';
import { applyPlan } from './provision-apply';
import { formatIssues, formatPlan, formatToken } from './plan-report';
import { formatGuidance, guidePending } from './pending-guidance';
import { readState } from './plan-types';
import { noSecrets, parseSecrets, readAll, type ProvisionSecrets } from './secrets-input';

/**
 * `keyway provision FILE` (and `keyway import FILE`): validate the whole file, plan, print the
 * plan, apply it step by step with progress on stderr. Exit 0 done (pending pastes included),
 * 1 when the file has problems (all of them listed, nothing changed) or a step failed.
 */
export async function runProvision(ctx: CommandContext): Promise<number> {
  const file = ctx.positionals[0]!;
  const dryRun = ctx.values['dry-run'] === true;
  const prune = ctx.values.prune === true;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new KeywayError('bad_input', `cannot read the manifest ${file} (${code})`);
  }
  const secrets = ctx.values['credentials-stdin']
    ? parseSecrets(await readAll(ctx.stdin))
    : noSecrets();
  const api = await ctx.api();
  const state = await readState(api);
  const loaded = loadManifest(text, state.vendors);
  const issues = [...loaded.issues, ...secretIssues(secrets, loaded.manifest, file)];
  if (issues.length > 0 || !loaded.source) return fail(ctx, file, issues);
  const draft = await buildPlan({
    manifest: loaded.manifest,
    state,
    secrets,
    prune,
    source: loaded.source,
    api,
  });
  if (draft.issues.length > 0) return fail(ctx, file, draft.issues);
  const summary = summarize(draft);
  const planJson = draft.items.map(({ action, kind, name, detail, changes }) => ({
    action,
    kind,
    name,
    detail,
    ...(changes ? { changes } : {}),
  }));
  if (!ctx.json) ctx.out(formatPlan(file, draft, summary));

  const applied = dryRun
    ? null
    : await applyPlan(api, draft.steps, {
        progress: (line) => ctx.err(`${line}\n`),
        token: (t) => {
          if (!ctx.json) ctx.out(formatToken(t));
        },
      });
  const accounts = new Set((await api['account.list']({})).map((a) => a.name));
  const vendorOf = (account: string) => {
    const v =
      state.accounts.find((a) => a.name === account)?.vendor ??
      loaded.manifest.accounts.find((a) => a.item.name === account)?.item.vendor;
    return state.vendors.find((x) => x.id === v);
  };
  const pending = await guidePending(api, draft.pending, vendorOf, (a) => accounts.has(a));
  const warnings = [...draft.warnings, ...(applied?.warnings ?? [])];
  const ok = !applied?.failed;
  if (ctx.json) {
    ctx.out(
      json({
        ok,
        file,
        dryRun,
        prune,
        summary,
        plan: planJson,
        unmanaged: draft.unmanaged,
        steps: applied?.outcomes ?? [],
        tokens: applied?.tokens ?? [],
        pending,
        warnings,
      }),
    );
  } else {
    ctx.out(formatGuidance(pending));
    for (const w of warnings) ctx.err(`warning: ${w}\n`);
  }
  if (applied?.failed) {
    const f = applied.failed;
    ctx.err(
      `keyway provision: stopped at step ${f.n}/${draft.steps.length} (${f.label}): ${f.message ?? 'failed'}\n` +
        `the steps before it were applied; fix the cause and run the same command again — it picks up where this run stopped\n`,
    );
    return 1;
  }
  if (!ctx.json) {
    if (dryRun) ctx.out('dry run: nothing was changed\n');
    else if (draft.steps.length > 0)
      ctx.out(`done: ${draft.steps.length} step${draft.steps.length === 1 ? '' : 's'} applied\n`);
  }
  return 0;
}

function fail(ctx: CommandContext, file: string, issues: ManifestIssue[]): number {
  ctx.err(formatIssues(file, issues));
  if (ctx.json) ctx.out(json({ ok: false, file, errors: issues }));
  return 1;
}

/** Secrets on stdin for names the file does not have: a typo that would silently do nothing. */
function secretIssues(secrets: ProvisionSecrets, m: Manifest, file: string): ManifestIssue[] {
  const issue = (message: string): ManifestIssue => ({
    line: 0,
    column: 0,
    field: 'credentials-stdin',
    message,
  });
  const accounts = new Set(m.accounts.map((a) => a.item.name));
  const keys = new Set(m.keys.map((k) => k.item.ref));
  return [
    ...[...secrets.credentials.keys()]
      .filter((n) => !accounts.has(n))
      .map((n) => issue(`a credential is given for "${n}", which is not an account in ${file}`)),
    ...[...secrets.keys.keys()]
      .filter((n) => !keys.has(n))
      .map((n) => issue(`a key is given for "${n}", which is not a key in ${file}`)),
  ];
}
