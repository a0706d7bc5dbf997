import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { ChildProgram } from '../../src/cli/run/child-program';

/** A server process stand-in: what the relay writes to it, and a way to answer. */
export function fakeServer(): {
  program: ChildProgram;
  received: Array<Record<string, unknown>>;
  answer: (msg: object) => void;
  exit: (code: number) => void;
} {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const received: Array<Record<string, unknown>> = [];
  let done = false;
  let resolveExit!: (n: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  stdin.on('data', (c: Buffer) => {
    for (const line of c.toString().split('\n').filter(Boolean))
      received.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exit = (code: number) => {
    done = true;
    resolveExit(code);
  };
  const child = { stdin, stdout, kill: () => (exit(143), true) } as unknown as ChildProcess;
  return {
    program: { child, pid: 1, exited, hasExited: () => done, ownGroup: false },
    received,
    answer: (msg) => stdout.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n'),
    exit,
  };
}
