import { createWriteStream, type WriteStream } from 'node:fs';
import { Redactor } from './redactor';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where log lines go: stderr for `keyway serve`, a file in the data directory for the desktop. */
export type LogSink = (line: string) => void;

/**
 * The core's logger. `what` says what was given up or went wrong, in words; `err` is the cause.
 * Everything is redacted before it reaches the sink, so a secret quoted in an error message
 * never lands in a log.
 */
export interface Logger {
  debug(what: string, err?: unknown): void;
  info(what: string, err?: unknown): void;
  warn(what: string, err?: unknown): void;
  error(what: string, err?: unknown): void;
}

export function isLogLevel(s: string | undefined): s is LogLevel {
  return s !== undefined && s in RANK;
}

export function createLogger(
  sink: LogSink,
  level: LogLevel = 'info',
  redactor = new Redactor(),
): Logger {
  const at =
    (l: LogLevel) =>
    (what: string, err?: unknown): void => {
      if (RANK[l] < RANK[level]) return;
      const cause = err === undefined ? '' : `: ${describe(err)}`;
      const prefix = l === 'info' ? '' : `${l}: `;
      sink(redactor.redact(`${prefix}${what}${cause}`));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** For tests and bare services: drops everything. */
export const silentLogger: Logger = createLogger(() => undefined, 'error');

/**
 * Appends lines to a file (the desktop's `keyway.log` in its data directory), owner-only. Writes
 * are queued on one stream; a failing disk loses log lines, never the app.
 */
export function fileSink(path: string): LogSink {
  let stream: WriteStream | undefined;
  return (line) => {
    // Opened at the first line, so a sink made before its directory exists still works.
    if (!stream) {
      stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
      // Nothing to tell: the log is where such a failure would be told.
      stream.on('error', () => undefined);
    }
    stream.write(`${new Date().toISOString()} ${line}\n`);
  };
}
