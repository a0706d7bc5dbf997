import type { Command } from './command';

/** Contract fields a command fills from its positional argument: named as its `args` names it. */
const POSITIONAL_FIELDS = new Set(['ref', 'name', 'slug']);

/**
 * The contract's field (`rotateEvery`, `ref`) as the user typed it on this command line
 * (`--rotate-every`, `ACCOUNT/KEY`), from the command's own table: its options (a list field is
 * the repeated singular flag, a secret the `-stdin` flag that reads it) and its arguments. The
 * contract validates once; only the CLI edge says where in the command line the problem is.
 */
export function argumentName(command: Pick<Command, 'args' | 'options'>, field: string): string {
  const top = field.split('.')[0] ?? field;
  const kebab = top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const option of [kebab, kebab.replace(/s$/, ''), `${kebab}-stdin`])
    if (option in command.options) return `--${option}`;
  const positional = command.args
    .split(' ')
    .find((a) => a !== '' && !a.startsWith('-') && !a.startsWith('['));
  if (POSITIONAL_FIELDS.has(top) && positional) return positional;
  return top;
}
