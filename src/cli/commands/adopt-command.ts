import type { Command } from '../command';
import { UsageError } from '../cli-errors';
import { list, str } from '../cli-input';
import { json } from '../output';
import { CLIENT_KINDS, KEYWAY_ON_PATH, clientSpec, isClientKind } from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { allEntries, loadClientConfig } from '../client-setup/client-config-file';
import { bridgeLauncher, configPathFor } from '../client-setup/client-paths';
import { findSecrets } from '../adopt/find-secrets';
import { planAdoption, type PlanItem } from '../adopt/adopt-plan';
import { applyAdoption } from '../adopt/adopt-apply';
import { adviceText, rotateAdopted, rotationAdvice } from '../adopt/adopt-rotation';

const KINDS = CLIENT_KINDS.map((c) => c.kind).join(', ');

export const adopt: Command = {
  name: 'adopt',
  args: '--for CLIENT',
  summary:
    "Move the vendor secrets sitting in an AI client's config into the keychain, and point the client at Keyway",
  details:
    'Finds secret headers of remote servers and key-like env vars of stdio servers (*KEY*, *TOKEN*,\n' +
    '*SECRET*, known vendor prefixes), prints the plan, and applies it: each secret becomes a key in\n' +
    'the keychain (verified with its vendor first), a remote entry points at the proxy with a local\n' +
    'token, a stdio entry runs under `keyway run --restart-on-rotate`. The old file is kept as\n' +
    'FILE.keyway-backup, each moved secret replaced there by moved-to-keyway:ACCOUNT/KEY; with\n' +
    '--dry-run nothing is created or written. The secrets were in plaintext: adopt names them and\n' +
    'how to rotate each; --rotate rotates those Keyway mints by API (Quave with a credential).\n' +
    'A remote secret belongs to the account whose MCP URL it calls (a custom account is created\n' +
    "otherwise). A stdio server's env var names no URL, so Keyway picks the account whose vendor or\n" +
    'name the variable mentions, or whose key format it matches; when it cannot tell, it stops and\n' +
    'asks: --account ENTRY=ACCOUNT (or --account ACCOUNT for every stdio secret).\n' +
    '  keyway adopt --for claude-desktop --dry-run\n' +
    '  keyway adopt --for cursor --account github=work',
  positionals: 0,
  options: {
    for: { type: 'string', help: `the AI client: ${KINDS}`, arg: 'CLIENT' },
    config: {
      type: 'string',
      help: "the client's config file (default: its usual user-level file)",
      arg: 'PATH',
    },
    'dry-run': { type: 'boolean', help: 'print the plan; create and write nothing' },
    account: {
      type: 'string',
      multiple: true,
      help: 'the account a stdio server’s secrets belong to (ENTRY=ACCOUNT, or ACCOUNT for all)',
      arg: '[ENTRY=]ACCOUNT',
    },
    rotate: {
      type: 'boolean',
      help: 'rotate the adopted keys Keyway can mint (they were in plaintext) right away',
    },
    'keyway-on-path': {
      type: 'boolean',
      help: 'rewritten stdio entries run `keyway` from PATH instead of absolute paths',
    },
  },
  async run(ctx) {
    const kind = str(ctx.values, 'for');
    if (!kind) throw new UsageError(`--for is required (${KINDS})`);
    if (!isClientKind(kind))
      throw new UsageError(`unknown client "${kind}"; choose one of ${KINDS}`);
    const file = str(ctx.values, 'config') ?? configPathFor(kind);
    const config = await loadClientConfig(kind, file);
    if (!config.existed)
      throw new KeywayError(
        'not_found',
        `${file} does not exist: nothing to adopt (${clientSpec(kind).title} keeps its servers there once it has any; another file: --config PATH)`,
      );
    const findings = findSecrets(kind, allEntries(config));
    const accountFor = new Map<string, string>();
    let defaultAccount: string | undefined;
    for (const a of list(ctx.values, 'account') ?? []) {
      const eq = a.indexOf('=');
      if (eq > 0) accountFor.set(a.slice(0, eq), a.slice(eq + 1));
      else defaultAccount = a;
    }
    const api = await ctx.api();
    const items = await planAdoption({ api, kind, accountFor, defaultAccount }, findings);
    const dryRun = ctx.values['dry-run'] === true;
    const plan = items.map(describe);
    if (items.length === 0 || dryRun) {
      if (ctx.json) return ctx.out(json({ kind, file, dryRun, plan, applied: false }));
      ctx.out(
        items.length === 0
          ? `no vendor secret found in ${file}; nothing to adopt\n`
          : `plan for ${file} (dry run: nothing created or written):\n${plan.map((p) => `  ${p.text}\n`).join('')}`,
      );
      return;
    }
    const r = await applyAdoption({
      api,
      config,
      items,
      launcher: ctx.values['keyway-on-path'] ? KEYWAY_ON_PATH : bridgeLauncher(),
      dataDir: ctx.dataDir,
    });
    let rotation = await rotationAdvice(api, items);
    if (ctx.values.rotate) rotation = await rotateAdopted(api, rotation);
    if (ctx.json) return ctx.out(json({ kind, file, dryRun, plan, applied: true, ...r, rotation }));
    ctx.out(
      `adopted ${items.length} secret(s) from ${file} (previous file kept as ${r.backup ?? '-'}, without them):\n` +
        plan.map((p) => `  ${p.text}\n`).join('') +
        'restart the client (or reload its MCP servers) to use them\n' +
        adviceText(file, rotation),
    );
  },
};

function describe(i: PlanItem): {
  where: string;
  account: string;
  createAccount: boolean;
  key: string;
  connection: string | null;
  client: string | null;
  text: string;
} {
  const f = i.finding;
  const account = `${i.account.create ? 'new ' : ''}account ${i.account.name}`;
  const text =
    f.type === 'header'
      ? `${f.where} → key ${i.key} (${account}), connection ${i.connection ?? ''}, client ${i.client ?? ''}; the entry points at the proxy`
      : `${f.where} → key ${i.key} (${account}); the entry runs under keyway run`;
  return {
    where: f.where,
    account: i.account.name,
    createAccount: i.account.create,
    key: i.key,
    connection: i.connection ?? null,
    client: i.client ?? null,
    text,
  };
}
