import type { Command } from './command';

const GLOBAL = [
  ['--json', 'print one JSON document on stdout, nothing else'],
  ['--data-dir DIR', 'data directory (default $KEYWAY_DATA_DIR, else the app data directory)'],
  ['--help', 'show help for a command'],
];

/** Lists every command from its name and summary alone: no command's code is loaded for it. */
export function mainHelp(commands: Pick<Command, 'name' | 'summary'>[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'keyway — keys for AI agents, kept in the OS keychain and rotated without breaking sessions',
    '',
    'Usage: keyway <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'bridge'.padEnd(width)}  stdio ↔ proxy bridge for stdio-only AI clients (keyway bridge --help)`,
    '',
    'Options for every command:',
    ...GLOBAL.map(([f, h]) => `  ${f!.padEnd(16)} ${h}`),
    '',
    'Secrets are only ever read from standard input (--secret-stdin, --credential-stdin, --client-secret-stdin).',
    'keyway --version (or -V) prints the version, one line.',
    'Exit status: 0 done, 1 failed (reason on stderr), 2 bad usage.',
    '',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  const opts = Object.entries(c.options).map(([name, o]) => [
    `--${name}${o.arg ? ` ${o.arg}` : ''}${o.multiple ? ' …' : ''}`,
    o.help,
  ]);
  const all = [...opts, ...GLOBAL];
  const width = Math.max(...all.map(([f]) => f!.length));
  return [
    `Usage: keyway ${c.name}${c.args ? ` ${c.args}` : ''} [options]`,
    '',
    c.summary,
    ...(c.details ? ['', c.details] : []),
    '',
    'Options:',
    ...all.map(([f, h]) => `  ${f!.padEnd(width)}  ${h}`),
    '',
  ].join('\n');
}

export function usageLine(c: Command): string {
  return `usage: keyway ${c.name}${c.args ? ` ${c.args}` : ''} [options] (see keyway ${c.name} --help)`;
}

/** The command groups (`keyway key`, …): the first word of every two-word command. */
export function groupOf<C extends Pick<Command, 'name'>>(
  commands: C[],
  word: string | undefined,
): C[] {
  if (word === undefined) return [];
  return commands.filter((c) => c.name.includes(' ') && c.name.split(' ')[0] === word);
}

/**
 * `keyway key` alone: its subcommands. Exit 2 (bad usage: nothing ran, so a script that forgot
 * the subcommand does not count it as done), as `keyway` alone does; `keyway key --help` is 0.
 */
export function groupHelp(
  group: string,
  commands: Array<Pick<Command, 'name' | 'summary'> & { args?: string }>,
): string {
  const width = Math.max(...commands.map((c) => c.name.length + 1 + (c.args?.length ?? 0)));
  return [
    `Usage: keyway ${group} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...commands.map(
      (c) => `  ${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(width)}  ${c.summary}`,
    ),
    '',
    `Help for one: keyway ${group} <subcommand> --help`,
    '',
  ].join('\n');
}
