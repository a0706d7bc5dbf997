// A bad argument is named as the user typed it (the argument or the flag), never by the
// contract's internal names (`key.add: field "ref": …`). The contract still validates once; the
// CLI only says where in the command line the problem is.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeyway, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';

let serve: ServeProcess;
let dataDir: string;
const keyway = (args: string[], stdin?: string) =>
  runKeyway(args, { dataDir, ...(stdin === undefined ? {} : { stdin }) });

beforeAll(async () => {
  dataDir = await tempDataDir('keyway-cli-usage-');
  serve = await startServe({ dataDir });
});
afterAll(async () => {
  await serve.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Exit 2, one line naming `where`, the usage line after it, and no internal names. */
function expectUsage(r: { code: number; stderr: string }, command: string, where: string) {
  expect(r.code, r.stderr).toBe(2);
  const first = r.stderr.split('\n')[0] ?? '';
  expect(first.startsWith(`keyway ${command}: ${where}: `), first).toBe(true);
  expect(r.stderr).not.toMatch(/field "|[a-z]+\.[a-z]+: /);
  expect(r.stderr).toMatch(/^usage: keyway /m);
}

describe('CLI usage errors in the words of the command line', () => {
  it('key add: the ACCOUNT/KEY argument and --rotate-every', async () => {
    expectUsage(
      await keyway(['key', 'add', 'no-slash', '--secret-stdin'], 'x'),
      'key add',
      'ACCOUNT/KEY',
    );
    expectUsage(
      await keyway(['key', 'add', 'a/b', '--secret-stdin', '--rotate-every', '0'], 'x'),
      'key add',
      '--rotate-every',
    );
  });

  it('account add: NAME and --mcp-url', async () => {
    expectUsage(
      await keyway(['account', 'add', 'bad name!', '--vendor', 'qyvo']),
      'account add',
      'NAME',
    );
    expectUsage(
      await keyway(['account', 'add', 'ok', '--vendor', 'qyvo', '--mcp-url', 'not a url']),
      'account add',
      '--mcp-url',
    );
  });

  it('connection add and key revoke: SLUG, --key and ACCOUNT/KEY', async () => {
    expectUsage(
      await keyway(['connection', 'add', 'Bad Slug', '--key', 'a/b']),
      'connection add',
      'SLUG',
    );
    expectUsage(
      await keyway(['connection', 'add', 'ok', '--key', 'nokey']),
      'connection add',
      '--key',
    );
    expectUsage(await keyway(['key', 'revoke', 'nokey', '--yes']), 'key revoke', 'ACCOUNT/KEY');
  });

  it('a value that starts with a dash: says how to write it', async () => {
    // A generated client id or secret may start with '-': parseArgs reads it as an option.
    const r = await keyway(['account', 'add', 'svc', '--vendor', 'custom', '--client-id', '-Abc']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain('written --client-id=VALUE');
  });
});
