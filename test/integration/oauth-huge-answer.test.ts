// A hostile authorization server answers 100 MB (the sandbox's `huge` token endpoint fault), at
// a refresh and at a login's token exchange, against a real `keyway serve`: serve reads at most
// 256 KiB of it (its peak RSS stays under 150 MB), and what the user and the audit log get is
// one bounded line.
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/domain';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { accountOf, cli, login, type CliLog } from '../support/oauth-harness';
import { waitFor } from '../support/oauth-runtime';

let sandbox: OAuthSandbox;
let serve: ServeProcess;
let dataDir: string;
const log: CliLog = { outputs: [] };

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ accessTokenTtlSec: 3600 });
  dataDir = await tempDataDir('keyway-oauth-huge-');
  serve = await startServe({ dataDir, timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await sandbox?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** serve's peak resident memory so far (VmHWM), in MB. */
async function peakRssMb(): Promise<number> {
  const status = await readFile(`/proc/${serve.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function add(name: string): Promise<void> {
  const args = ['account', 'add', name, '--vendor', 'custom', '--mcp-url', sandbox.mcpUrl];
  expect((await cli(log, dataDir, [...args, '--auth', 'oauth'])).code).toBe(0);
}

it('a 100 MB answer at a refresh and at a login: serve stays under 150 MB, every line bounded', async () => {
  sandbox.settings.accessTokenTtlSec = 3;
  await add('big');
  expect((await login(log, dataDir, 'big')).code).toBe(0);
  sandbox.setTokenFault({ kind: 'huge' });
  sandbox.settings.accessTokenTtlSec = 3600;
  const before = await peakRssMb();
  try {
    // The refresh timer meets the huge answer.
    await waitFor('the refresh to fail', async () => {
      const audit = await cli(log, dataDir, ['audit', '--json', '--event', 'oauth']);
      return (JSON.parse(audit.stdout) as AuditEntry[]).some(
        (e) => e.event === 'oauth.refresh-failed' && e.account === 'big',
      );
    });
    // A login whose token exchange meets it.
    await add('big2');
    const res = await login(log, dataDir, 'big2');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/more than 256 KiB/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.length).toBeLessThan(1024);
  } finally {
    sandbox.setTokenFault(null);
  }
  const peak = await peakRssMb();
  console.log(
    `serve peak RSS: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB after two 100 MB answers`,
  );
  expect(peak).toBeLessThan(150);
  expect(sandbox.stats.faultedTokenRequests).toBeGreaterThanOrEqual(2);
  const audit = await cli(log, dataDir, ['audit', '--json', '--event', 'oauth']);
  for (const e of JSON.parse(audit.stdout) as AuditEntry[])
    expect(JSON.stringify(e.detail ?? {}).length).toBeLessThan(1024);
  expect((await accountOf(log, dataDir, 'big')).oauth?.state).toBe('signed-in');
  expect((await accountOf(log, dataDir, 'big2')).oauth?.state).toBe('signed-out');
}, 180_000);
