import { basename } from 'node:path';
import type { EnvRef } from './env-refs';
import { startProgram, stopProgram, type ChildProgram } from './child-program';
import { findInstance, RunRegistration, watchRotations, type Instance } from './instance-link';
import { currentVersions, readHeldKeys, sameVersions, type HeldKeys } from './key-source';
import { McpRelay } from './mcp-relay';
import { LineSplitter } from './json-lines';

export interface RunOptions {
  dataDir: string;
  refs: EnvRef[];
  restartOnRotate: boolean;
  command: string;
  args: string[];
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** A one-line notice on stderr (never a secret). */
  notice: (text: string) => void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * `keyway run`: the program with its keys in its environment; with --restart-on-rotate, moved
 * to the new key when one rotates (a stdio MCP server without its client noticing, anything
 * else by a restart). Resolves with the program's exit status.
 */
export async function runProgram(opts: RunOptions): Promise<number> {
  const instance = opts.refs.length ? await findInstance(opts.dataDir) : null;
  const held: HeldKeys = instance
    ? await readHeldKeys(instance.api, opts.refs)
    : { versions: new Map(), env: {} };
  if (!opts.restartOnRotate || !instance) {
    const p = await startProgram(opts.command, opts.args, held.env, 'inherit');
    // A signal ends the program's whole group, by force if it holds on (as at a rotation).
    const forward = (): void => void stopProgram(p);
    for (const s of SIGNALS) process.on(s, forward);
    try {
      return await p.exited;
    } finally {
      for (const s of SIGNALS) process.off(s, forward);
      // What the program left running (a wrapper's children) holds the key too.
      await stopProgram(p, 1_000);
    }
  }
  return new Supervisor(opts, instance, held).run();
}

class Supervisor {
  private mode: 'unknown' | 'mcp' | 'raw' = 'unknown';
  private current!: ChildProgram;
  private relay: McpRelay | null = null;
  private registration: RunRegistration;
  private rotating: Promise<void> = Promise.resolve();
  private finish!: (status: number) => void;
  private readonly done = new Promise<number>((r) => (this.finish = r));
  private readonly retired = new Set<ChildProgram>();

  constructor(
    private readonly opts: RunOptions,
    private readonly instance: Instance,
    private held: HeldKeys,
  ) {
    this.registration = new RunRegistration(instance.api, basename(opts.command), () =>
      this.checkVersions(),
    );
  }

  async run(): Promise<number> {
    this.current = await this.start(this.held);
    await this.registration.start([...this.held.versions.values()]);
    const watch = watchRotations(this.instance, (key) => {
      if (this.opts.refs.some((r) => r.ref === key)) this.rotate();
    });
    const lines = new LineSplitter((line) => this.relay?.fromClient(line));
    const onInput = (chunk: Buffer): void => {
      if (this.mode === 'unknown') this.chooseMode(chunk);
      if (this.mode === 'mcp') lines.push(chunk);
      else this.current.child.stdin?.write(chunk);
    };
    const onEnd = (): void => {
      lines.flush();
      if (this.relay) this.relay.endInput();
      else this.current.child.stdin?.end();
    };
    this.opts.stdin.on('data', onInput);
    this.opts.stdin.on('end', onEnd);
    const onSignal = (): void => void this.stopAll().then(() => this.finish(143));
    for (const s of SIGNALS) process.on(s, onSignal);
    try {
      return await this.done;
    } finally {
      for (const s of SIGNALS) process.off(s, onSignal);
      this.opts.stdin.off('data', onInput);
      this.opts.stdin.off('end', onEnd);
      (this.opts.stdin as NodeJS.ReadStream).pause?.();
      watch.stop();
      await this.stopAll(1_000);
      await this.registration.end();
    }
  }

  /** A stdio MCP client speaks first, with a JSON-RPC line; anything else is a plain program. */
  private chooseMode(first: Buffer): void {
    this.mode = first.toString('utf8').trimStart().startsWith('{') ? 'mcp' : 'raw';
    if (this.mode !== 'mcp') return;
    this.relay = new McpRelay(
      (line) => void this.opts.stdout.write(line + '\n'),
      (status) => this.finish(status),
    );
    this.relay.use(this.relay.attach(this.current));
  }

  private async start(held: HeldKeys): Promise<ChildProgram> {
    const p = await startProgram(this.opts.command, this.opts.args, held.env, [
      'pipe',
      'pipe',
      'inherit',
    ]);
    p.child.stdin?.on('error', () => undefined);
    p.child.stdout?.on('data', (c: Buffer) => {
      if (this.mode !== 'mcp') this.opts.stdout.write(c);
    });
    void p.exited.then((status) => {
      // Exited on its own (not stopped by a rotation): Keyway ends with its status.
      if (!this.retired.has(p) && this.mode !== 'mcp') this.finish(status);
    });
    return p;
  }

  private checkVersions(): void {
    void currentVersions(this.instance.api, this.opts.refs)
      .then((v) => {
        if (!sameVersions(v, this.held.versions)) this.rotate();
      })
      // Serve not answering now: the next heartbeat checks again, and the program keeps its key.
      .catch(() => undefined);
  }

  /** One rotation at a time; a second event for the same swap finds nothing to do. */
  private rotate(): void {
    this.rotating = this.rotating
      .then(() => this.moveToNewKeys())
      .catch((err: Error) => {
        this.opts.notice(
          `keyway run: could not move to the new key: ${err.message.split('\n')[0]}`,
        );
      });
  }

  private async moveToNewKeys(): Promise<void> {
    const next = await readHeldKeys(this.instance.api, this.opts.refs);
    if (sameVersions(next.versions, this.held.versions)) return;
    const before = [...this.held.versions.values()];
    const after = [...next.versions.values()];
    // Until the old program is gone, it still holds the old key: the drain must wait for it.
    await this.registration.update([...new Set([...before, ...after])]);
    const old = this.current;
    if (this.relay) {
      const fresh = await startProgram(this.opts.command, this.opts.args, next.env, [
        'pipe',
        'pipe',
        'inherit',
      ]);
      fresh.child.stdin?.on('error', () => undefined);
      const { retired } = await this.relay.switchTo(fresh);
      this.retired.add(old);
      this.current = fresh;
      this.held = next;
      await retired;
    } else {
      this.retired.add(old);
      await stopProgram(old);
      this.current = await this.start(next);
      this.held = next;
    }
    await this.registration.update(after);
    this.opts.notice(`keyway run: moved to the new key (process ${this.current.pid})`);
  }

  /** Every program this run started, with whatever their groups still hold. */
  private async stopAll(killAfterMs?: number): Promise<void> {
    const all = [this.current, ...this.retired];
    for (const p of all) this.retired.add(p);
    await Promise.all(all.map((p) => stopProgram(p, killAfterMs)));
  }
}
