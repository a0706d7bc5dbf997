import { parseArgs } from 'node:util';
import { KeywayError } from '../shared/errors';
import { resolveDataDir } from '../main/core/data-dir';
import { KEYWAY_VERSION } from '../shared/version';
import type { CommandContext } from './command';
import { UsageError } from './cli-errors';
import { argumentName } from './argument-names';
import { COMMANDS, type CommandEntry } from './commands';
import { commandHelp, groupHelp, groupOf, mainHelp, usageLine } from './help';

interface CliIo {
  stdin: NodeJS.ReadableStream;
  out: (text: string) => void;
  err: (text: string) => void;
}

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  for (const c of COMMANDS) {
    const parts = c.name.split(' ');
    if (parts.every((p, i) => words[i] === p)) {
      const rest = [...argv];
      for (const p of parts) rest.splice(rest.indexOf(p), 1);
      return { entry: c, rest };
    }
  }
  return undefined;
}

/** Runs one CLI invocation and returns its exit status (0 done, 1 failed, 2 bad usage). */
export async function runCli(fullArgv: string[], io: CliIo): Promise<number> {
  // Everything after the first `--` is another program's command line (`keyway run -- CMD …`).
  const dashes = fullArgv.indexOf('--');
  const argv = dashes >= 0 ? fullArgv.slice(0, dashes) : fullArgv;
  const passthrough = dashes >= 0 ? fullArgv.slice(dashes + 1) : undefined;
  const found = findCommand(argv);
  if (!found) {
    if (argv.includes('--version') || argv.includes('-V')) {
      io.out(
        argv.includes('--json')
          ? `${JSON.stringify({ version: KEYWAY_VERSION })}\n`
          : `keyway ${KEYWAY_VERSION}\n`,
      );
      return 0;
    }
    const help = argv.includes('--help') || argv.includes('-h');
    // `keyway key` alone (or with an unknown subcommand) lists that group's subcommands.
    const group = groupOf(COMMANDS, argv[0]);
    if (group.length > 0) {
      // Only this group's commands are loaded, for their arguments: a help path, not a hot one.
      const listing = groupHelp(argv[0]!, await Promise.all(group.map((e) => e.load())));
      const sub = argv[1] !== undefined && !argv[1].startsWith('-') ? argv[1] : undefined;
      if (sub !== undefined) {
        io.err(`keyway ${argv[0]}: unknown subcommand "${sub}"\n${listing}`);
        return 2;
      }
      io.out(listing);
      return help ? 0 : 2;
    }
    if (argv.length === 0 || help) {
      io.out(mainHelp(COMMANDS));
      return argv.length === 0 ? 2 : 0;
    }
    io.err(
      `keyway: unknown command "${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}"; see keyway --help\n`,
    );
    return 2;
  }
  const { entry, rest } = found;
  // Only now is the command's code loaded: nothing else a run does not need (see ./commands).
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.err(`keyway ${command.name}: ${parseErrorLine(err as Error)}\n${usageLine(command)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(commandHelp(command));
    return 0;
  }
  if (passthrough && !command.passthrough) {
    io.err(`keyway ${command.name}: takes nothing after --\n${usageLine(command)}\n`);
    return 2;
  }
  const positionals = parsed.positionals.length;
  const [least, most] = Array.isArray(command.positionals)
    ? command.positionals
    : [command.positionals, command.positionals];
  if (positionals < least || positionals > most) {
    const what = most === 0 ? 'takes no arguments' : `takes ${command.args.split(' ')[0] ?? ''}`;
    io.err(`keyway ${command.name}: ${what}\n${usageLine(command)}\n`);
    return 2;
  }
  const dataDir = resolveDataDir(parsed.values['data-dir']);
  const ctx: CommandContext = {
    positionals: parsed.positionals,
    passthrough,
    values: parsed.values,
    json: parsed.values.json === true,
    dataDir,
    stdin: io.stdin,
    out: io.out,
    err: io.err,
    api: async () => (await (await import('./control-client')).connectToRunning(dataDir)).api,
  };
  try {
    const code = await command.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      const where = err.field ? `${argumentName(command, err.field)}: ` : '';
      io.err(`keyway ${command.name}: ${where}${err.message}\n${usageLine(command)}\n`);
      return 2;
    }
    const message =
      err instanceof KeywayError ? err.message : `unexpected error: ${(err as Error).message}`;
    io.err(`keyway ${command.name}: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

/**
 * node:util's parse error in one line. Its "argument is ambiguous" (a value that starts with a
 * dash, as generated client ids and secrets sometimes do) keeps the way out on its later lines,
 * which one line would drop: say it.
 */
function parseErrorLine(err: Error): string {
  const first = err.message.split('\n')[0] ?? '';
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(first);
  return ambiguous
    ? `${first} A value that starts with "-" is written ${ambiguous[1]}=VALUE.`
    : first;
}
