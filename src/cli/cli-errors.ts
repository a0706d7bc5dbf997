/** Exit 2: the command line itself is wrong (CLI.md). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
    /** The contract field at fault (`rotateEvery`); the CLI names it as typed (`--rotate-every`). */
    readonly field?: string,
  ) {
    super(message);
  }
}
