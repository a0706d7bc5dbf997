import { UsageError } from './cli-errors';

/**
 * Reads a secret from standard input — the only way secrets enter the CLI, so they stay out of
 * shell history and `ps`. One trailing newline (from `echo` or a here-string) is dropped.
 */
export async function readSecretFromStdin(
  stdin: NodeJS.ReadableStream,
  what: string,
): Promise<string> {
  if ((stdin as NodeJS.ReadStream).isTTY) {
    throw new UsageError(
      `pipe the ${what} on standard input, e.g. \`pbpaste | keyway …\` or \`keyway … < file\``,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!value) throw new UsageError(`no ${what} on standard input`);
  if (/[\r\n]/.test(value))
    throw new UsageError(`the ${what} on standard input spans several lines; give exactly one`);
  return value;
}

export function str(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: Record<string, unknown>, name: string): string[] | undefined {
  const v = values[name];
  return Array.isArray(v) ? (v as string[]) : undefined;
}

export function int(values: Record<string, unknown>, name: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} takes a whole number, not "${v}"`);
  return Number(v);
}

/** `--rotate-every DAYS|never`: undefined when absent (the Settings default), null for never. */
export function rotatePeriod(values: Record<string, unknown>): number | null | undefined {
  if (str(values, 'rotate-every') === 'never') return null;
  return int(values, 'rotate-every');
}
