// `keyway run` with a program that is not an MCP server: its key in its environment only, its
// stderr and exit status passed through, and with --restart-on-rotate a restart with the new key.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { KeyView } from '../../src/shared/contract';
import { KEYWAY_BIN } from '../support/keyway-process';
import { startSandboxKeyway, type SandboxKeyway } from '../fixtures/keyway-sandbox';

// Each test starts several CLI processes and MCP sessions; a loaded 2-core CI machine is slow.
vi.setConfig({ testTimeout: 180_000 });

let kw: SandboxKeyway;
beforeAll(async () => {
  kw = await startSandboxKeyway();
});
afterAll(async () => {
  await kw?.stop();
});

// Prints the fingerprint of $K and its pid, then waits (or exits with $CODE when set).
const PROGRAM = `
const k = process.env.K ?? '';
const fp = require('node:crypto').createHash('sha256').update(k).digest('hex').slice(0, 8);
console.log(JSON.stringify({ fp, pid: process.pid }));
console.error('to stderr');
if (process.env.CODE) process.exit(Number(process.env.CODE));
setInterval(() => {}, 1000);
`;

async function fingerprint(): Promise<string> {
  const keys = await kw.json<KeyView[]>(['key', 'ls']);
  return keys.find((k) => k.ref === 'demo/agent')!.version!.fingerprint;
}

function start(extra: string[], env: Record<string, string> = {}, program = PROGRAM) {
  const child = spawn(
    process.execPath,
    [
      KEYWAY_BIN,
      'run',
      '--env',
      'K=demo/agent',
      ...extra,
      '--data-dir',
      kw.dataDir,
      '--',
      process.execPath,
      '-e',
      program,
    ],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: Array<{ fp: string; pid: number }> = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean))
      lines.push(JSON.parse(l) as { fp: string; pid: number });
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, lines, stderr: () => stderr, exited };
}

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("passes the program's exit status and stderr through, with or without --restart-on-rotate", async () => {
  for (const extra of [[], ['--restart-on-rotate']]) {
    const p = start(extra, { CODE: '7' });
    expect(await p.exited).toBe(7);
    expect(p.lines[0]?.fp).toBe(await fingerprint());
    expect(p.stderr()).toContain('to stderr');
  }
});

it('restarts any other program with the new key when the key rotates', async () => {
  const p = start(['--restart-on-rotate']);
  await until(() => p.lines.length === 1);
  const first = p.lines[0]!;
  expect(first.fp).toBe(await fingerprint());
  const r = await kw.run(['key', 'rotate', 'demo/agent']);
  expect(r.code, r.stderr).toBe(0);
  await until(() => p.lines.length === 2);
  const second = p.lines[1]!;
  expect(second.fp).toBe(await fingerprint());
  expect(second.fp).not.toBe(first.fp);
  expect(second.pid).not.toBe(first.pid);
  expect(() => process.kill(first.pid, 0)).toThrow();
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(143);
  expect(() => process.kill(second.pid, 0)).toThrow();
});

// An npx-like launcher: the program with the key is a child of the wrapper that prints it.
const WRAPPER = `
const k = process.env.K ?? '';
const fp = require('node:crypto').createHash('sha256').update(k).digest('hex').slice(0, 8);
const g = require('node:child_process').spawn('sleep', ['306'], { stdio: 'ignore' });
console.log(JSON.stringify({ fp, pid: g.pid }));
setInterval(() => {}, 1000);
`;

it("a restart at rotation ends the old program's children too", async () => {
  const p = start(['--restart-on-rotate'], {}, WRAPPER);
  await until(() => p.lines.length === 1);
  const first = p.lines[0]!;
  const r = await kw.run(['key', 'rotate', 'demo/agent']);
  expect(r.code, r.stderr).toBe(0);
  await until(() => p.lines.length === 2);
  const second = p.lines[1]!;
  expect(second.fp).not.toBe(first.fp);
  // The old key's grandchild is gone with its wrapper (it was left under pid 1 before).
  await until(() => !alive(first.pid), 10_000).catch(() => undefined);
  expect(alive(first.pid)).toBe(false);
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(143);
  await until(() => !alive(second.pid), 10_000).catch(() => undefined);
  expect(alive(second.pid)).toBe(false);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
