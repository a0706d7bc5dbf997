import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView, KeyView } from '../../src/shared/contract';
import {
  KEYWAY_BIN,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';
import { dashboardKey, dashboardKeys, type ReadyLine } from '../support/sandbox-admin';

let serve: ServeProcess;
let dataDir: string;
let ready: ReadyLine;

const keyway = (args: string[], stdin?: string) => runKeyway(args, { dataDir, stdin });

/** Runs `keyway …` on a pseudo-terminal (util-linux `script`), typing `answer` at the prompt. */
function keywayOnTerminal(args: string[], answer: string): { code: number; output: string } {
  const cmd = [process.execPath, KEYWAY_BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
    input: `${answer}\n`,
    env: { ...process.env, KEYWAY_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, output: r.stdout };
}

async function keyState(ref: string): Promise<string | undefined> {
  const keys = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
  const key = keys.find((k) => k.ref === ref);
  return key && (key.version?.state ?? 'no active version');
}

async function mcpStatus(url: string, token: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    }),
  });
  await res.body?.cancel();
  return res.status;
}

beforeAll(async () => {
  dataDir = await tempDataDir('keyway-cli-removal-');
  serve = await startServe({ dataDir, args: ['--sandbox'] });
  ready = JSON.parse(serve.output().stdout.split('\n')[0]!) as ReadyLine;
});
afterAll(async () => {
  await serve.stop();
});

describe('command groups without a subcommand', () => {
  it('`keyway account` lists its subcommands (exit 2: nothing ran); --help is exit 0', async () => {
    const r = await keyway(['account']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/account add/);
    expect(r.stdout).toMatch(/account remove NAME \[--force\]/);
    expect(r.stderr).toBe('');
    const h = await keyway(['key', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/key revoke ACCOUNT\/KEY \[--yes\]/);
    for (const g of ['connection', 'client', 'proxy']) {
      const x = await keyway([g]);
      expect(x.code, g).toBe(2);
      expect(x.stdout, g).toContain(`keyway ${g} <subcommand>`);
    }
    const bad = await keyway(['connection', 'frob']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown subcommand "frob"[\s\S]*connection remove SLUG/);
  });
});

describe('--rotate-every never', () => {
  it('key add stores a key that is never rotated automatically', async () => {
    const acct = ready.sandbox!.vendors.qyvo;
    const a = await keyway([
      'account',
      'add',
      'never',
      '--vendor',
      'qyvo',
      '--api-url',
      acct.apiUrl,
      '--mcp-url',
      acct.mcpUrl,
    ]);
    expect(a.code, a.stderr).toBe(0);
    const { secret } = await dashboardKey(acct.apiUrl, { name: 'never' });
    const r = await keyway(
      ['key', 'add', 'never/k', '--secret-stdin', '--rotate-every', 'never'],
      secret,
    );
    expect(r.code, r.stderr).toBe(0);
    const keys = JSON.parse((await keyway(['key', 'ls', '--json'])).stdout) as KeyView[];
    expect(keys.find((k) => k.ref === 'never/k')?.rotateEvery).toBeNull();
    const bad = await keyway(['key', 'create', 'never/x', '--rotate-every', 'sometimes']);
    expect(bad.code).toBe(2);
  });
});

describe('key revoke of a key in use', () => {
  it('names the connection and clients, asks on a terminal, needs --yes without one, then says how to re-key', async () => {
    const demo = ready.sandbox!.demo!;
    const noTty = await keyway(['key', 'revoke', demo.key]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain(`connection(s) ${demo.connection}`);
    expect(noTty.stderr).toContain(demo.client);
    expect(noTty.stderr).toMatch(/--yes/);
    expect(await keyState(demo.key)).toBe('active');

    const no = keywayOnTerminal(['key', 'revoke', demo.key], 'n');
    expect(no.output).toMatch(/Revoke demo\/agent\? \[y\/N\]/);
    expect(no.code).toBe(1);
    expect(await keyState(demo.key)).toBe('active');

    const quaveLive = async () =>
      (await dashboardKeys(ready.sandbox!.vendors.quave.apiUrl)).filter((k) => k.live).length;
    const liveBefore = await quaveLive();
    const yes = await keyway(['key', 'revoke', demo.key, '--yes']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain(`keyway connection update ${demo.connection} --key demo/NEW`);
    expect(await keyState(demo.key)).toBe('no active version');
    expect(await quaveLive()).toBe(liveBefore - 1);

    // The printed way back works: a new key, the same connection, the same client token.
    const made = await keyway(['key', 'create', 'demo/agent2', '--scope', 'quave:read']);
    expect(made.code, made.stderr).toBe(0);
    const upd = await keyway(['connection', 'update', demo.connection, '--key', 'demo/agent2']);
    expect(upd.code, upd.stderr).toBe(0);
    expect(await mcpStatus(demo.url, demo.token)).toBe(200);
  });
});

describe('account remove and connection remove', () => {
  it('account remove is refused, naming keys and connections; --force removes them and says the keys stay live', async () => {
    const refused = await keyway(['account', 'remove', 'demo']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/demo\/agent2/);
    expect(refused.stderr).toMatch(/connection\(s\) demo\b/);
    expect(refused.stderr).toMatch(/--force/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const forced = await keyway(['account', 'remove', 'demo', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/stay live at the vendor/);
    const conns = JSON.parse(
      (await keyway(['connection', 'ls', '--json'])).stdout,
    ) as ConnectionView[];
    expect(conns.map((c) => c.slug)).not.toContain('demo');
    const accounts = (await keyway(['account', 'ls'])).stdout;
    expect(accounts).not.toMatch(/^demo\s/m);
    expect(await keyState('demo/agent2')).toBeUndefined();
    expect(await mcpStatus(ready.sandbox!.demo!.url, ready.sandbox!.demo!.token)).not.toBe(200);
  });

  it('connection remove takes its clients with it: their tokens stop at once', async () => {
    const r1 = await keyway(['connection', 'add', 'gone', '--key', 'never/k']);
    expect(r1.code, r1.stderr).toBe(0);
    const c = JSON.parse(
      (await keyway(['client', 'add', 'c1', '--connection', 'gone', '--json'])).stdout,
    ) as {
      token: string;
    };
    const url = r1.stdout.trim();
    expect(await mcpStatus(url, c.token)).toBe(200);
    const r = await keyway(['connection', 'remove', 'gone']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/client\(s\) c1 no longer reach anything/);
    expect(await mcpStatus(url, c.token)).not.toBe(200);
    const missing = await keyway(['connection', 'remove', 'gone']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
