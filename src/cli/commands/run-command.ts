import type { Command } from '../command';
import { UsageError } from '../cli-errors';
import { list } from '../cli-input';
import { parseEnvRefs } from '../run/env-refs';
import { runProgram } from '../run/run-supervisor';

export const run: Command = {
  name: 'run',
  args: '[--env VAR=ACCOUNT/KEY]... [--restart-on-rotate] -- COMMAND [ARG...]',
  summary:
    'Run a program (typically a local stdio MCP server) with keys from the keychain in its environment',
  details:
    'Each key is read from the OS keychain at start and given to the program in its environment\n' +
    'only: never on its command line, never in a file. Needs the running Keyway (desktop app or\n' +
    '`keyway serve`) to know each key’s current version.\n' +
    '  keyway run --env GITHUB_TOKEN=work/github --restart-on-rotate -- npx -y @modelcontextprotocol/server-github\n' +
    'With --restart-on-rotate, a rotation of one of those keys moves the program to the new key\n' +
    'before the old one is revoked (the rotation’s drain waits for it): a stdio MCP server gets a\n' +
    'new process that takes over the session (Keyway replays initialize, sends new requests to it\n' +
    'and lets the old one finish, then stops it); any other program is stopped and started again.\n' +
    "The program's stderr passes through; Keyway exits with the program's exit status.",
  positionals: 0,
  passthrough: true,
  options: {
    env: {
      type: 'string',
      multiple: true,
      help: 'put the current secret of key ACCOUNT/KEY in environment variable VAR',
      arg: 'VAR=ACCOUNT/KEY',
    },
    'restart-on-rotate': {
      type: 'boolean',
      help: 'move the program to the new key when one of its keys rotates',
    },
  },
  async run(ctx) {
    const [command, ...args] = ctx.passthrough ?? [];
    if (!command) throw new UsageError('give the program to run after --, e.g. -- npx my-server');
    const refs = parseEnvRefs(list(ctx.values, 'env') ?? []);
    if (ctx.values['restart-on-rotate'] && refs.length === 0)
      throw new UsageError('--restart-on-rotate needs at least one --env VAR=ACCOUNT/KEY');
    return runProgram({
      dataDir: ctx.dataDir,
      refs,
      restartOnRotate: ctx.values['restart-on-rotate'] === true,
      command,
      args,
      stdin: ctx.stdin,
      stdout: process.stdout,
      notice: (text) => ctx.err(text + '\n'),
    });
  },
};
