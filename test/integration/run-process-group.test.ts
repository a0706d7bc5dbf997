// `keyway run` ends everything it started: the program runs in a process group of its own, and
// the whole group is signalled on SIGTERM/SIGINT, at the force-kill step, when the program exits
// leaving children behind, and when keyway run's own parent dies. A wrapper (`sh -c`, an
// npx-like Node launcher) holds the key in its children's environment too, so the test looks
// for any process whose environment holds the run's secret-like marker (/proc, Linux).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEYWAY_BIN } from '../support/keyway-process';

vi.setConfig({ testTimeout: 60_000 });

/** Pids of the processes whose environment holds `VAR=value`. */
function holders(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (env.split('\0').includes(entry)) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ');
  } catch {
    return '';
  }
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const NPX_LIKE = `
const c = require('node:child_process').spawn('sleep', ['302'], { stdio: 'inherit' });
c.on('exit', (code) => process.exit(code ?? 1));
`;

function run(
  program: string[],
  secret: string,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [KEYWAY_BIN, 'run', '--', ...program], {
    env: { ...process.env, KEYWAY_TEST_SECRET: secret },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited };
}

const markers: string[] = [];
const fresh = (): string => {
  const entry = `KEYWAY_TEST_SECRET=${randomBytes(12).toString('hex')}`;
  markers.push(entry);
  return entry;
};
// A failing run must not leave its processes behind on the shared machine.
afterEach(() => {
  for (const entry of markers.splice(0)) {
    for (const pid of holders(entry)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});
/** keyway run's exit, or null if it is still running after `ms`. */
const exitWithin = (r: { exited: Promise<number | null> }, ms = 15_000) =>
  Promise.race([r.exited, new Promise<null>((res) => setTimeout(() => res(null), ms))]);
const value = (entry: string) => entry.slice(entry.indexOf('=') + 1);

/** Waits until a `sleep` holding the secret runs under the wrapper: the shape that leaked. */
async function grandchildRunning(entry: string, sleep: string): Promise<number> {
  let pid = 0;
  await until(() => {
    pid = holders(entry).find((p) => cmdline(p).startsWith(`sleep ${sleep}`)) ?? 0;
    return pid !== 0;
  });
  return pid;
}

describe('keyway run leaves nothing running with the key', () => {
  for (const [signal, label, program, sleep] of [
    ['SIGTERM', "sh -c 'sleep 301'", ['sh', '-c', 'sleep 301; true'], '301'],
    ['SIGINT', 'an npx-like Node wrapper', [process.execPath, '-e', NPX_LIKE], '302'],
  ] as const) {
    it(`${signal} ends ${label} and its children`, async () => {
      const entry = fresh();
      const r = run([...program], value(entry));
      await grandchildRunning(entry, sleep);
      r.child.kill(signal);
      await exitWithin(r);
      await until(() => holders(entry).length === 0, 10_000).catch(() => undefined);
      expect(holders(entry).map(cmdline)).toEqual([]);
    });
  }

  it('kills the whole group at the force-kill step when it ignores SIGTERM', async () => {
    const entry = fresh();
    const r = run(['sh', '-c', 'trap "" TERM; sleep 303; true'], value(entry));
    await grandchildRunning(entry, '303');
    r.child.kill('SIGTERM');
    expect(await exitWithin(r)).toBe(137);
    await until(() => holders(entry).length === 0, 10_000).catch(() => undefined);
    expect(holders(entry).map(cmdline)).toEqual([]);
  });

  it('ends what the program left running when the program exits', async () => {
    const entry = fresh();
    const r = run(['sh', '-c', 'sleep 304 & sleep 1; exit 3'], value(entry));
    await grandchildRunning(entry, '304');
    expect(await r.exited).toBe(3);
    await until(() => holders(entry).length === 0, 10_000).catch(() => undefined);
    expect(holders(entry).map(cmdline)).toEqual([]);
  });

  it('ends the group and exits when its own parent dies', async () => {
    const entry = fresh();
    // An AI client that crashes: keyway run's parent is killed outright.
    const parent = spawn(
      'sh',
      [
        '-c',
        `"$0" "$1" run -- sh -c 'sleep 305; true' < /dev/null & wait`,
        process.execPath,
        KEYWAY_BIN,
      ],
      { env: { ...process.env, KEYWAY_TEST_SECRET: value(entry) }, stdio: 'ignore' },
    );
    await grandchildRunning(entry, '305');
    parent.kill('SIGKILL');
    await until(() => holders(entry).length === 0, 15_000).catch(() => undefined);
    expect(holders(entry).map(cmdline)).toEqual([]);
  });
});
