import { runCli } from './run-cli';

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
// Exit once stdout has drained, so a piped `--json` document always arrives whole, and no
// lingering handle (a keep-alive socket, the keychain connection) can hold the process open.
process.stdout.write('', () => process.exit(code));
