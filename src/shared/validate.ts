import type { z } from 'zod';
import { KeywayError } from './errors';
import { isOpName, operations, type OpArgs, type OpName } from './contract';

/**
 * Validates an untrusted input against its operation's schema. The error names the first field
 * at fault and never quotes the value, which may be a secret.
 */
export function validateInput<N extends OpName>(name: N, input: unknown): OpArgs<N> {
  const schema: z.ZodType = operations[name].input;
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data as OpArgs<N>;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const what =
    issue?.code === 'unrecognized_keys'
      ? `unknown field(s): ${issue.keys.join(', ')}`
      : (issue?.message ?? 'invalid');
  const where = field ? `field "${field}"` : 'input';
  throw new KeywayError('bad_input', `${name}: ${where}: ${what}`, field || undefined);
}

export function assertOpName(name: string): OpName {
  if (!isOpName(name)) throw new KeywayError('not_found', `unknown operation "${name}"`);
  return name;
}
