// `npm run demo` and `serve --sandbox` as a newcomer meets them: every vendor's URL printed, one
// JSON line on serve's stdout whatever the sandbox's libraries log, serve dying with the demo,
// no data left behind, and a restart on the same data directory that keeps the demo working.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeyway, startServe, tempDataDir } from '../support/keyway-process';
import { initializeStatus } from '../support/mcp-initialize';
import { connectModernClient } from '../support/modern-client';
import type { ReadyLine } from '../support/sandbox-admin';
import { TEST_BROWSER } from '../support/oauth-harness';

const ROOT = resolve(import.meta.dirname, '../..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pids of a process's children. */
function childrenOf(pid: number): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

function argsOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

function descendants(pid: number): number[] {
  const kids = childrenOf(pid);
  return [...kids, ...kids.flatMap(descendants)];
}

describe('keyway serve --sandbox', () => {
  it('writes exactly one line on stdout, even after the OAuth sandbox logs a NOTICE', async () => {
    const dataDir = await tempDataDir('keyway-one-line-');
    const serve = await startServe({ dataDir, args: ['--sandbox'] });
    const ready = JSON.parse(serve.output().stdout.split('\n')[0]!) as ReadyLine & {
      sandbox: { demo: { oauth: { mcpUrl: string } } };
    };
    // Log in to the sandbox's OAuth server and out again: the logout's token revocation makes
    // oidc-provider print a NOTICE (its default revocation policy) with console.info.
    const mcpUrl = ready.sandbox.demo.oauth.mcpUrl;
    const add = [
      'account',
      'add',
      'o',
      '--vendor',
      'custom',
      '--mcp-url',
      mcpUrl,
      '--auth',
      'oauth',
    ];
    expect((await runKeyway(add, { dataDir })).code).toBe(0);
    const login = await runKeyway(['account', 'login', 'o', '--json'], {
      dataDir,
      env: { BROWSER: TEST_BROWSER },
    });
    expect(login.code, login.stderr).toBe(0);
    const logout = await runKeyway(['account', 'logout', 'o'], { dataDir });
    expect(logout.code, logout.stderr).toBe(0);
    expect(await serve.stop()).toBe(0);
    const { stdout, stderr } = serve.output();
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/oidc-provider NOTICE/);
  });

  it('restarted on the same data directory, the demo connection works again with the same client token', async () => {
    const dataDir = await tempDataDir('keyway-restart-');
    const first = await startServe({ dataDir, args: ['--sandbox'] });
    const demo = (JSON.parse(first.output().stdout.split('\n')[0]!) as ReadyLine).sandbox!.demo!;
    expect(await initializeStatus(demo.url, demo.token)).toBe(200);
    expect(await first.stop()).toBe(0);
    const second = await startServe({ dataDir, args: ['--sandbox'] });
    try {
      const url = (
        JSON.parse((await runKeyway(['connection', 'ls', '--json'], { dataDir })).stdout) as Array<{
          slug: string;
          url: string;
        }>
      ).find((c) => c.slug === demo.connection)!.url;
      expect(await initializeStatus(url, demo.token)).toBe(200);
      expect(second.output().stderr).toMatch(/now points at this run's sandbox/);
    } finally {
      await second.stop();
    }
  });
});

describe('npm run demo', () => {
  it('prints every sandbox vendor, and SIGKILL of the demo takes serve and the data directory with it', async () => {
    const demo = spawn(
      'bash',
      ['scripts/with-keyring.sh', 'node', 'scripts/demo.js', '--port', '0'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    demo.stdout.on('data', (d: Buffer) => (out += d.toString()));
    demo.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => demo.on('close', r));
    await until('the demo banner', () => out.includes('Stop:'), 60_000);
    for (const v of ['quave', 'qyvo', 'qwoty', 'specivo', 'modern'])
      expect(out).toMatch(new RegExp(`${v}\\s+API http://127\\.0\\.0\\.1:\\d+`));
    expect(out).toMatch(/modern .* speaks MCP 2026-07-28 only/);
    // The 2026 demo works end to end: a pinned 2026-07-28 client calls a tool through Keyway.
    const [, url, token] = /MCP 2026:\s+(\S+) .* token (\S+)\)/.exec(out)!;
    const client = await connectModernClient(url!, token!);
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'hello 2026' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'hello 2026' }]);
    await client.close();
    const dataDir = /KEYWAY_DATA_DIR=(\S+)/.exec(out)![1]!;
    expect(existsSync(dataDir), dataDir).toBe(true);
    // with-keyring.sh → dbus-run-session → node scripts/demo.js → node bin/keyway.js serve
    const servePid = descendants(demo.pid!).find((p) => argsOf(p).includes(' serve '))!;
    const demoNode = Number(
      execFileSync('ps', ['-o', 'ppid=', '-p', String(servePid)], { encoding: 'utf8' }).trim(),
    );
    expect(argsOf(demoNode)).toContain('scripts/demo.js');
    expect(alive(servePid)).toBe(true);
    process.kill(demoNode, 'SIGKILL');
    await until('serve to exit', () => !alive(servePid));
    await exited;
    expect(existsSync(dataDir), dataDir).toBe(false);
  });
});
