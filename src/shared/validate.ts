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
  const { field, what } = firstIssue(result.error);
  const where = field ? `field "${field}"` : 'input';
  throw new InputError(`${name}: ${where}: ${what}`, field, what);
}

/**
 * A contract validation failure, with its parts kept apart: each shell names the field in its
 * own words (the CLI by its argument or flag, the UI by its form label) before `what`.
 */
export class InputError extends KeywayError {
  constructor(
    message: string,
    field: string,
    /** What is wrong, without where: "must be 1 or more". */
    readonly what: string,
  ) {
    super('bad_input', message, field || undefined);
  }
}

function firstIssue(error: z.ZodError): { field: string; what: string } {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const what =
    issue?.code === 'unrecognized_keys'
      ? `unknown field(s): ${issue.keys.join(', ')}`
      : (issue?.message ?? 'invalid');
  return { field, what };
}

export function assertOpName(name: string): OpName {
  if (!isOpName(name)) throw new KeywayError('not_found', `unknown operation "${name}"`);
  return name;
}
