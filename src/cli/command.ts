import type { ParseArgsConfig } from 'node:util';
import type { KeywayApi } from '../shared/contract';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  help: string;
  arg?: string;
};

export interface CommandContext {
  positionals: string[];
  /** What came after `--` (only for commands that take a program's command line). */
  passthrough?: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  dataDir: string;
  stdin: NodeJS.ReadableStream;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Connects to the running instance through the control API (discovery + keychain token). */
  api: () => Promise<KeywayApi>;
}

export interface Command {
  /** e.g. "key add" */
  name: string;
  args: string;
  summary: string;
  /** Answers the next question a user has: an example, where the secret comes from, what's next. */
  details?: string;
  /** How many positional arguments: exactly N, or [least, most]. */
  positionals: number | [number, number];
  /** Takes another program's command line after `--`. */
  passthrough?: boolean;
  options: Record<string, OptionSpec>;
  run(ctx: CommandContext): Promise<number | void>;
}
