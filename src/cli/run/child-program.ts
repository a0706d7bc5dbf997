import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import { KeywayError } from '../../shared/errors';

/** A started program: its process, and a promise of its exit status. */
export interface ChildProgram {
  child: ChildProcess;
  pid: number;
  /** The exit status Keyway passes on: the code, or 128 + the signal number. */
  exited: Promise<number>;
  hasExited(): boolean;
}

/**
 * Starts the program with the keys in its environment only (never in argv). Resolves once the
 * OS started it; a program that cannot start (not found, not executable) is a clear error.
 */
export async function startProgram(
  command: string,
  args: string[],
  keys: Record<string, string>,
  stdio: StdioOptions,
): Promise<ChildProgram> {
  const child = spawn(command, args, { env: { ...process.env, ...keys }, stdio });
  let done = false;
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new KeywayError(
          'bad_input',
          `cannot start "${command}": ${err.code === 'ENOENT' ? 'no such program' : err.code === 'EACCES' ? 'not executable' : (err.code ?? err.message)}`,
        ),
      ),
    );
  });
  return { child, pid: child.pid!, exited, hasExited: () => done };
}

/** SIGTERM, then SIGKILL after `killAfterMs`; resolves with the exit status. */
export async function stopProgram(p: ChildProgram, killAfterMs = 3_000): Promise<number> {
  if (!p.hasExited()) p.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!p.hasExited()) p.child.kill('SIGKILL');
  }, killAfterMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fails unless the command can be started here: an existing executable path, or a name found on
 * PATH. Used before writing a config entry that will start it, so a typo fails now, with the
 * file unchanged, not at the AI client's next start.
 */
export function assertStartable(command: string): void {
  const candidates = /[\\/]/.test(command)
    ? [command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .flatMap((d) =>
          process.platform === 'win32'
            ? ['', '.exe', '.cmd', '.bat'].map((ext) => join(d, command + ext))
            : [join(d, command)],
        );
  for (const c of candidates) {
    try {
      accessSync(c, fsConstants.X_OK);
      if (statSync(c).isFile()) return;
    } catch {
      // not this one
    }
  }
  throw new KeywayError(
    'bad_input',
    `cannot start "${command}": ${/[\\/]/.test(command) ? 'no such executable file' : 'not found on PATH'}`,
  );
}
