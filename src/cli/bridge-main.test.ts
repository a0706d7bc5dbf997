// `keyway bridge` as a process: its arguments, where it finds the proxy and the token, and its
// exit status (0 done, 1 failed, 2 bad usage) with a one-line reason on stderr.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDiscovery } from '../main/core/discovery';
import type { TestProxy, TestUpstream } from '../../test/support/mcp-upstream';
import {
  bridgeArgs,
  MemoryBackend,
  startProxy,
  startUpstream,
} from '../../test/support/mcp-upstream';
import { tempDataDir } from '../../test/support/keyway-process';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = bridgeArgs();
const TOKEN = 'bridge-main-token-0123456789abcdef';
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'cli', version: '1' },
  },
});
let up: TestUpstream;
let px: TestProxy;
let dir: string;

beforeAll(async () => {
  up = await startUpstream();
  up.keys.set('vendor-secret-cli', { keyId: 'key-cli', label: 'cli' });
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v1', secret: 'vendor-secret-cli' });
  backend.tokens.set(TOKEN, { client: 'cli', slug: 'qyvo' });
  px = await startProxy(backend);
  dir = await tempDataDir('keyway-bridge-main-');
});

afterAll(async () => {
  await px.close();
  await up.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bridge(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  return new Promise((done) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', ...env };
    if (!('KEYWAY_TOKEN' in env)) delete childEnv.KEYWAY_TOKEN;
    const child = spawn(process.execPath, [...ENTRY, ...args], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('keyway bridge (the process)', () => {
  it('prints its usage for --help and exits 0', async () => {
    const run = await bridge(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: keyway bridge SLUG/);
  });

  it('exits 2 on bad usage, with the reason and the usage line', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], { KEYWAY_TOKEN: 't' }, /takes exactly one connection SLUG/],
      [['a', 'b'], { KEYWAY_TOKEN: 't' }, /takes exactly one connection SLUG/],
      [['a', '--frobnicate'], { KEYWAY_TOKEN: 't' }, /Unknown option '--frobnicate'/],
      [
        ['a', '--url', 'http://127.0.0.1:1'],
        {},
        /no local token: set KEYWAY_TOKEN or pass --token-file FILE/,
      ],
    ];
    const runs = await Promise.all(cases.map(([args, env]) => bridge(args, env)));
    runs.forEach((run, i) => {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(cases[i]?.[2] ?? /never/);
      expect(run.stderr).toMatch(/\nusage: keyway bridge SLUG/);
    });
  });

  it('exits 1 when Keyway is not running or the token file cannot be read', async () => {
    const empty = join(dir, 'empty');
    const [noKeyway, noFile] = await Promise.all([
      bridge(['qyvo', '--data-dir', empty], { KEYWAY_TOKEN: TOKEN }),
      bridge(['qyvo', '--token-file', join(dir, 'missing')]),
    ]);
    expect(noKeyway.code).toBe(1);
    expect(noKeyway.stderr).toBe(
      `keyway bridge: Keyway is not running (no discovery file in ${empty}); start the app or \`keyway serve\`\n`,
    );
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(
      /^keyway bridge: cannot read the token file .*missing \(ENOENT\)\n$/,
    );
  });

  it('finds the proxy through the discovery file and the token in a file; answers, then exits 0', async () => {
    await writeDiscovery(dir, {
      url: `http://127.0.0.1:${px.port}`,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
    await writeFile(join(dir, 'token'), `${TOKEN}\n`);
    // A piped script: one request, then stdin closes. The answer must still arrive.
    const run = await bridge(
      ['qyvo', '--data-dir', dir, '--token-file', join(dir, 'token')],
      {},
      `${INITIALIZE}\n`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const answer = JSON.parse(run.stdout.trim()) as {
      id: number;
      result: { serverInfo: { name: string } };
    };
    expect(answer.id).toBe(0);
    expect(answer.result.serverInfo.name).toBe('qyvo-sandbox');
  });
});
