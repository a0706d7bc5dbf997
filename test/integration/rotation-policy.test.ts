// Rotation policy: `--rotate-every` and expiry, honoured by the scheduler of `keyway serve`.
// Keyway is started a first time to set things up, then again with its clock moved 31 days on
// (KEYWAY_TEST_NOW_OFFSET_MS, a test hook read where the runtime builds its clock): the Quave
// key due by its 30-day period is rotated on its own; dashboard keys due by period or expiry
// are announced (key.due) for the user to rotate; keys not due are left alone.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, KeyVersion } from '../../src/shared/domain';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import {
  activeVersion,
  ControlApi,
  keychainSecret,
  keyVersions,
  keyway,
  quaveMcpKeys,
  setUpQuave,
} from '../support/rotation-harness';

const DAY = 86_400_000;
const AUTO = 'acme/agent'; // Quave, every 30 days: due
const LATER = 'acme/steady'; // Quave, every 60 days: not due
const GUIDED = 'spec/agent'; // Specivo, every 30 days: due, only the user can rotate it
const EXPIRING = 'spec/expiring'; // Specivo, expires in 37 days: due a week before (day 30)

let sb: Sandbox;
let dataDir: string;
let serve: ServeProcess | undefined;
const before: Record<string, KeyVersion[]> = {};
let expires: string;

beforeAll(async () => {
  sb = await startSandbox();
  dataDir = await tempDataDir('keyway-rotation-policy-');
  const setup = await startServe({ dataDir });
  await setUpQuave(dataDir, sb, { rotateEvery: 30 });
  await keyway(dataDir, [
    ...['key', 'create', LATER, '--scope', 'quave:read', '--rotate-every', '60', '--json'],
  ]);
  const spec = sb.vendors.specivo;
  await keyway(dataDir, [
    ...['account', 'add', 'spec', '--vendor', 'specivo', '--api-url', spec.apiUrl],
    ...['--mcp-url', spec.mcpUrl, '--json'],
  ]);
  const first = sb.dashboard.createKey('specivo', { name: 'agent' }).secret;
  await keyway(
    dataDir,
    ['key', 'add', GUIDED, '--secret-stdin', '--scope', 'mcp', '--rotate-every', '30', '--json'],
    first,
  );
  // `key add` has no --expires yet; the control API takes it.
  expires = new Date(Date.now() + 37 * DAY).toISOString();
  const api = ControlApi.fromUi(setup.url, setup.ui);
  const other = sb.dashboard.createKey('specivo', { name: 'expiring' }).secret;
  await api.call('key.add', { ref: EXPIRING, secret: other, scopes: ['mcp'], expires });
  for (const ref of [AUTO, LATER, GUIDED, EXPIRING]) before[ref] = await keyVersions(dataDir, ref);
  await setup.stop();

  serve = await startServe({
    dataDir,
    env: { KEYWAY_TEST_NOW_OFFSET_MS: String(31 * DAY), KEYWAY_SCHEDULER_MS: '300' },
  });
});

afterAll(async () => {
  await serve?.stop();
  await sb.close();
  await rm(dataDir, { recursive: true, force: true });
});

const dueEntries = (audit: AuditEntry[]) => audit.filter((e) => e.event === 'key.due');

describe('31 days later, the scheduler', () => {
  it('rotates the Quave key whose 30-day period is over, completely', async () => {
    const old = activeVersion(before[AUTO]!);
    await expect
      .poll(async () => activeVersion(await keyVersions(dataDir, AUTO)).id, { timeout: 15_000 })
      .not.toBe(old.id);
    const api = ControlApi.fromUi(serve!.url, serve!.ui);
    await expect.poll(() => api.rotations(), { timeout: 15_000 }).toEqual([]);
    const versions = await keyVersions(dataDir, AUTO);
    const now = activeVersion(versions);
    expect(versions.find((v) => v.id === old.id)?.state).toBe('revoked');
    const live = quaveMcpKeys(sb)
      .filter((k) => k.live)
      .map((k) => k.id);
    expect(live).toContain(now.vendorKeyId);
    expect(live).not.toContain(old.vendorKeyId);
    expect(await keychainSecret(old.id)).toBeUndefined();
    expect(await keychainSecret(now.id)).toBeDefined();
    const audit = await keyway<AuditEntry[]>(dataDir, ['audit', '--key', AUTO, '--json']);
    expect(dueEntries(audit).map((e) => e.detail?.automatic)).toEqual([true]);
    expect(audit.filter((e) => e.event === 'key.rotated')).toHaveLength(1);
  });

  it('does not rotate the new version again, nor a key whose period is not over', async () => {
    // Several more ticks (300 ms each) go by.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await keyVersions(dataDir, AUTO)).toHaveLength(2);
    expect(await keyVersions(dataDir, LATER)).toEqual(before[LATER]);
    const audit = await keyway<AuditEntry[]>(dataDir, ['audit', '--key', LATER, '--json']);
    expect(dueEntries(audit)).toEqual([]);
  });

  it('announces dashboard keys due by period or by expiry, once, and leaves them to the user', async () => {
    for (const ref of [GUIDED, EXPIRING]) {
      expect(await keyVersions(dataDir, ref)).toEqual(before[ref]);
      const audit = await keyway<AuditEntry[]>(dataDir, ['audit', '--key', ref, '--json']);
      expect(dueEntries(audit).map((e) => e.detail?.automatic)).toEqual([false]);
    }
    const audit = await keyway<AuditEntry[]>(dataDir, ['audit', '--key', EXPIRING, '--json']);
    const dueAt = Date.parse(dueEntries(audit)[0]!.detail!.dueAt as string);
    expect(dueAt).toBe(Date.parse(expires) - 7 * DAY);
  });
});
