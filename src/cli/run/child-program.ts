import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
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
  /** True when it leads a process group of its own (POSIX, stdin not a terminal). */
  ownGroup: boolean;
}

/** Every program started and not yet known to be gone with its whole group. */
const live = new Set<ChildProgram>();

/**
 * Starts the program with the keys in its environment only (never in argv). Resolves once the
 * OS started it; a program that cannot start (not found, not executable) is a clear error.
 *
 * On POSIX it leads a process group of its own, so that Keyway can signal everything it started
 * (an `npx` or `sh -c` wrapper's children hold the key too) and nothing outlives it with a key in
 * its environment. Not when stdin is a terminal: a background group reading it would be stopped
 * (SIGTTIN), and there the terminal sends Ctrl-C to the whole foreground group anyway. Windows
 * has no process groups to signal; there the tree is ended with `taskkill /T`.
 */
export async function startProgram(
  command: string,
  args: string[],
  keys: Record<string, string>,
  stdio: StdioOptions,
): Promise<ChildProgram> {
  const ownGroup = process.platform !== 'win32' && !(stdio === 'inherit' && process.stdin.isTTY);
  const child = spawn(command, args, {
    env: { ...process.env, ...keys },
    stdio,
    detached: ownGroup,
  });
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
  const program = { child, pid: child.pid!, exited, hasExited: () => done, ownGroup };
  live.add(program);
  guardExit();
  return program;
}

/** Sends `signal` to the program and everything in its process group; false once none is left. */
export function signalGroup(p: ChildProgram, signal: NodeJS.Signals | 0): boolean {
  if (process.platform === 'win32') {
    if (p.hasExited() || signal === 0) return !p.hasExited();
    // No groups: end the tree (/T), by force for SIGKILL. Type-checked only on Linux CI.
    const args = ['/PID', String(p.pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])];
    spawnSync('taskkill', args, { stdio: 'ignore', windowsHide: true });
    return true;
  }
  if (!p.ownGroup) {
    if (p.hasExited()) return false;
    p.child.kill(signal);
    return true;
  }
  try {
    process.kill(-p.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty
  }
}

function groupAlive(p: ChildProgram): boolean {
  return p.ownGroup && process.platform !== 'win32' ? signalGroup(p, 0) : !p.hasExited();
}

/**
 * SIGTERM to the program's whole group, then SIGKILL to what is left of it after `killAfterMs`
 * (a grandchild that outlives a wrapper counts); resolves with the program's exit status.
 */
export async function stopProgram(p: ChildProgram, killAfterMs = 3_000): Promise<number> {
  signalGroup(p, 'SIGTERM');
  const deadline = Date.now() + killAfterMs;
  // The group may outlive its leader (a wrapper that exits on SIGTERM, its child that does not).
  while (groupAlive(p) && Date.now() < deadline) await sleep(p.hasExited() ? 25 : 50);
  if (groupAlive(p)) signalGroup(p, 'SIGKILL');
  const status = await p.exited;
  live.delete(p);
  return status;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let guarded = false;
let parentWatch: NodeJS.Timeout | undefined;

/**
 * Whatever way `keyway run` ends, its programs' groups end with it: on exit (SIGKILL to what is
 * left, synchronously: nothing async runs then), and when its own parent dies (an AI client that
 * crashed leaves it orphaned, re-parented to init or a subreaper): then it stops them and exits.
 */
function guardExit(): void {
  if (guarded) return;
  guarded = true;
  process.once('exit', () => {
    for (const p of live) signalGroup(p, 'SIGKILL');
  });
  const parent = process.ppid;
  parentWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(parentWatch);
    void Promise.all([...live].map((p) => stopProgram(p, 1_000))).finally(() => process.exit(129));
  }, 500);
  parentWatch.unref();
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
