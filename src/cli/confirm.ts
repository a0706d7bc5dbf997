import { createInterface } from 'node:readline/promises';
import { UsageError } from './cli-errors';

/**
 * Asks a yes/no question before something that breaks running clients. On a terminal the
 * question goes to stderr (stdout stays the command's own output); without a terminal nobody
 * can answer, so the caller's `--yes` flag is required instead of a silent default.
 */
export async function confirmOnTerminal(
  stdin: NodeJS.ReadableStream,
  err: (text: string) => void,
  question: string,
  yes: boolean,
): Promise<boolean> {
  if (yes) return true;
  if (!(stdin as NodeJS.ReadStream).isTTY)
    throw new UsageError('no terminal to ask on: pass --yes to go ahead');
  const rl = createInterface({ input: stdin, output: process.stderr });
  try {
    err(''); // keep ordering with anything already written to stderr
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
