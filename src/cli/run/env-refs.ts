import { UsageError } from '../cli-errors';

/** One `--env VAR=ACCOUNT/KEY`: an environment variable filled from a key in the keychain. */
export interface EnvRef {
  variable: string;
  ref: string;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseEnvRefs(values: string[]): EnvRef[] {
  const out: EnvRef[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    const variable = eq > 0 ? v.slice(0, eq) : '';
    const ref = eq > 0 ? v.slice(eq + 1) : '';
    if (!VARIABLE.test(variable) || !REF.test(ref))
      throw new UsageError(
        `--env takes VAR=ACCOUNT/KEY (a key Keyway holds, e.g. GITHUB_TOKEN=work/github), not "${v.length > 80 ? v.slice(0, 80) + '…' : v}"`,
      );
    if (out.some((e) => e.variable === variable))
      throw new UsageError(`--env ${variable} is given twice`);
    out.push({ variable, ref });
  }
  return out;
}

/** The same rendered back for a config entry: `--env VAR=REF` per key. */
export function envArgs(refs: EnvRef[]): string[] {
  return refs.flatMap((r) => ['--env', `${r.variable}=${r.ref}`]);
}
