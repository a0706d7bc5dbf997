/** Exit 2: the command line itself is wrong (CLI.md). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}
