import type { Command } from '../command';
import { json } from '../output';
import { exportManifest, manifestYaml } from '../provision/export-manifest';
import { readState } from '../provision/plan-types';
import { runProvision } from '../provision/provision-run';
import { provisionOptions } from './provision-command';

export const exportConfig: Command = {
  name: 'export',
  args: '',
  summary: 'Print the configuration (no secrets, no tokens) as a manifest for `keyway provision`',
  details:
    'Accounts, keys with their scopes and options, connections and clients, in the manifest format:\n' +
    "  keyway export > team.yaml        # on a teammate's machine: keyway import team.yaml --credentials-stdin\n" +
    '--json prints the same manifest as JSON, which `keyway provision` reads too.',
  positionals: 0,
  options: {},
  async run(ctx) {
    const exported = exportManifest(await readState(await ctx.api()));
    ctx.out(ctx.json ? json(exported.manifest) : manifestYaml(exported, new Date()));
    for (const s of exported.skipped) ctx.err(`keyway export: left out ${s}\n`);
  },
};

export const importConfig: Command = {
  name: 'import',
  args: 'FILE',
  summary: 'Apply an exported manifest (the same as `keyway provision FILE`)',
  details:
    'Management credentials are read from standard input as ACCOUNT=TOKEN lines:\n' +
    '  keyway import team.yaml --credentials-stdin < team-credentials.env',
  positionals: 1,
  options: provisionOptions,
  run: runProvision,
};
