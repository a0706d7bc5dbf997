import { UsageError } from '../cli-errors';

/**
 * Secrets for a provision run, read from standard input (never the manifest, never an argument):
 * `ACCOUNT=TOKEN` lines give an account's management credential, `ACCOUNT/KEY=SECRET` lines a key
 * made in a vendor's dashboard. Blank lines and `#` comments are skipped. Errors name the line,
 * never the value.
 */
export interface ProvisionSecrets {
  credentials: Map<string, string>;
  keys: Map<string, string>;
}

export function noSecrets(): ProvisionSecrets {
  return { credentials: new Map(), keys: new Map() };
}

const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseSecrets(text: string): ProvisionSecrets {
  const out = noSecrets();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = eq > 0 ? line.slice(eq + 1).trim() : '';
    const where = `standard input, line ${i + 1}`;
    if (!name || !value)
      throw new UsageError(`${where}: expected ACCOUNT=TOKEN or ACCOUNT/KEY=SECRET`);
    const target = KEY_REF.test(name) ? out.keys : ACCOUNT.test(name) ? out.credentials : null;
    if (!target) throw new UsageError(`${where}: "${name}" is neither an account nor ACCOUNT/KEY`);
    if (target.has(name)) throw new UsageError(`${where}: "${name}" is given twice`);
    target.set(name, value);
  });
  return out;
}

export async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as NodeJS.ReadStream).isTTY) {
    throw new UsageError(
      'pipe the secrets on standard input, e.g. `keyway provision team.yaml --credentials-stdin < secrets.env`',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
