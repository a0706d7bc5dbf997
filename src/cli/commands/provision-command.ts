import type { Command, OptionSpec } from '../command';
import { runProvision } from '../provision/provision-run';

export const provisionOptions: Record<string, OptionSpec> = {
  'dry-run': { type: 'boolean', help: 'print the plan and change nothing' },
  prune: {
    type: 'boolean',
    help: 'also remove what Keyway has and the file does not (keys are revoked first)',
  },
  'credentials-stdin': {
    type: 'boolean',
    help: 'read ACCOUNT=TOKEN (management credentials) and ACCOUNT/KEY=SECRET (pasted keys) lines from standard input',
  },
};

export const provision: Command = {
  name: 'provision',
  args: 'FILE',
  summary: 'Apply a team manifest (YAML): plan, then create, change or remove; idempotent',
  details:
    'The whole file is checked first; every problem is listed with its line and nothing changes.\n' +
    'Then the plan (+ create, ~ change, = leave, - remove with --prune, … pending) and each step\n' +
    'with its progress on stderr. Secrets never go in the file:\n' +
    '  keyway provision team.yaml --credentials-stdin < team-credentials.env\n' +
    "New clients' tokens are printed once on stdout (--json: `tokens`); a client moved to another\n" +
    'connection gets a new one, and a credential on stdin for an existing account replaces it.\n' +
    'Running it again plans nothing; after an interrupted run it does what is left.\n' +
    'The format: README, "Teams".',
  positionals: 1,
  options: provisionOptions,
  run: runProvision,
};
