// When a rotation goes wrong: the new key fails verification, the vendor will not revoke the old
// one, the vendor is down, the user has not revoked a dashboard key yet, or two rotations race.
// Keyway runs here in-process (the same runtime `keyway serve` starts) against the sandbox, so a
// test can flip a vendor switch at the exact step it means to break, from the step's own event.
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KeyChange, RotationView } from '../../src/shared/contract';
import type { KeywayEvent } from '../../src/shared/contract';
import type { AuditEntry, KeyVersion } from '../../src/shared/domain';
import { startKeyway, type KeywayRuntime } from '../../src/main/core/keyway-runtime';
import { startSandbox, type Sandbox, type SandboxSwitches } from '../../src/sandbox';
import { runKeyway, tempDataDir } from '../support/keyway-process';
import {
  activeVersion,
  closeMcp,
  connectMcp,
  keychainSecret,
  quaveMcpKeys,
  whoami,
} from '../support/rotation-harness';

const QUAVE = 'acme/agent';
const SPECIVO = 'spec/agent';

let sb: Sandbox;
let rt: KeywayRuntime;
let dataDir: string;
let url: string;
let token: string;
let unhook: (() => void) | undefined;

beforeAll(async () => {
  sb = await startSandbox();
  dataDir = await tempDataDir('keyway-rotation-failures-');
  rt = await startKeyway({
    dataDir,
    port: 0,
    owner: 'rotation failure tests',
    version: 'test',
    rendererDir: dataDir,
    log: () => undefined,
    rotation: { drainMs: 2000, retryBaseMs: 1500, schedulerTickMs: 60_000 },
  });
  const api = rt.service.api;
  const q = sb.vendors.quave;
  const credential = sb.dashboard.createKey('quave', { kind: 'user-token' }).secret;
  await api['account.add']({
    name: 'acme',
    vendor: 'quave',
    apiUrl: q.apiUrl,
    mcpUrl: q.mcpUrl,
    credential,
  });
  await api['key.create']({ ref: QUAVE, scopes: ['quave:read'] });
  url = (await api['connection.add']({ slug: 'acme', key: QUAVE })).url;
  token = (await api['client.add']({ name: 'acme-client', connection: 'acme' })).token;
  const s = sb.vendors.specivo;
  await api['account.add']({ name: 'spec', vendor: 'specivo', apiUrl: s.apiUrl, mcpUrl: s.mcpUrl });
  const first = sb.dashboard.createKey('specivo', { name: 'agent-1' }).secret;
  await api['key.add']({ ref: SPECIVO, secret: first, scopes: ['mcp'] });
});

afterEach(() => {
  unhook?.();
  unhook = undefined;
  sb.setSwitches('all', { down: false, latencyMs: 0, failNext: { status: 500, count: 0 } });
});

afterAll(async () => {
  await rt.close();
  await sb.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Flips a vendor switch the moment a rotation step of `ref` finishes, before the next starts. */
function whenStepDone(ref: string, step: string, then: () => void): void {
  unhook = rt.events.subscribe((e: KeywayEvent) => {
    if (e.type !== 'rotation.step') return;
    const p = e.payload as { key: string; step: string; ok: boolean };
    if (p.key === ref && p.step === step && p.ok) then();
  });
}

function breakQuave(switches: SandboxSwitches): () => void {
  return () => sb.setSwitches('quave', switches);
}

async function calledWith(): Promise<string | undefined> {
  const session = await connectMcp(url, token);
  const who = await whoami(session.client);
  await closeMcp(session);
  return who.keyId.split('#')[0];
}

const rotations = (): Promise<RotationView[]> => rt.service.api['rotation.list']({});

async function versions(ref: string): Promise<KeyVersion[]> {
  const key = (await rt.service.api['key.list']({})).find((k) => k.ref === ref);
  if (!key) throw new Error(`key ${ref} is not listed`);
  return key.versions;
}

const audit = (key: string): Promise<AuditEntry[]> => rt.service.api['audit.list']({ key });

describe('rotation failures', () => {
  it('new key refused at verification: revoked at the vendor, forgotten; the old key stays and works', async () => {
    const old = activeVersion(await versions(QUAVE));
    const liveBefore = quaveMcpKeys(sb)
      .filter((k) => k.live)
      .map((k) => k.id);
    let newVersionId: string | undefined;
    whenStepDone(QUAVE, 'store', () => {
      newVersionId = rt.service.rotation.engine.journal.forKey(QUAVE)?.newVersionId;
      breakQuave({ failNext: { status: 401, count: 1 } })();
    });
    await expect(rt.service.api['key.rotate']({ ref: QUAVE })).rejects.toThrow(
      new RegExp(
        `^the new key failed verification: Quave refused the token \\(401.*; it was revoked at the vendor and forgotten; the old key \\(…${old.last4}\\) stays in use$`,
      ),
    );
    expect(newVersionId).toBeDefined();
    expect(await keychainSecret(newVersionId!)).toBeUndefined();
    const minted = quaveMcpKeys(sb).filter((k) => !liveBefore.includes(k.id));
    expect(minted.map((k) => k.live)).toEqual([false]);
    expect(
      quaveMcpKeys(sb)
        .filter((k) => k.live)
        .map((k) => k.id),
    ).toEqual(liveBefore);
    const after = await versions(QUAVE);
    expect(after.map((v) => [v.id, v.state])).toEqual([[old.id, 'active']]);
    expect(await keychainSecret(old.id)).toBeDefined();
    expect(await rotations()).toEqual([]);
    expect(await calledWith()).toBe(old.vendorKeyId);
    const events = (await audit(QUAVE))
      .filter((e) => e.event.startsWith('rotation.'))
      .map((e) => `${e.event}:${String(e.detail?.ok)}`);
    expect(events.slice(-4)).toEqual([
      'rotation.mint:true',
      'rotation.store:true',
      'rotation.verify:false',
      'rotation.rolled-back:undefined',
    ]);
  });

  it('revoke refused: the old key stays retiring, a new rotation is held, retryRevoke finishes it', async () => {
    const old = activeVersion(await versions(QUAVE));
    const oldSecret = await keychainSecret(old.id);
    whenStepDone(QUAVE, 'drain', breakQuave({ failNext: { status: 500, count: 1 } }));
    const change: KeyChange = await rt.service.api['key.rotate']({ ref: QUAVE });
    expect(change.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      ...['mint:true', 'store:true', 'verify:true', 'swap:true', 'drain:true', 'revoke:false'],
    ]);
    expect(change.warnings.join('\n')).toMatch(
      /revoking the old key \(….{4}\) failed \(.*500.*\); retrying at /,
    );
    expect(change.retired).toMatchObject({ id: old.id, state: 'retiring' });
    const [pending, ...none] = await rotations();
    expect(none).toEqual([]);
    expect(pending).toMatchObject({ key: QUAVE, step: 'revoking', waitingFor: 'revoke-retry' });
    expect(Date.parse(pending!.nextRetryAt!)).toBeGreaterThan(Date.now());
    // The old key is still live at the vendor, so its secret stays in the keychain.
    expect(sb.dashboard.isLive('quave', oldSecret!)).toBe(true);
    expect(await keychainSecret(old.id)).toBe(oldSecret);
    expect(await calledWith()).toBe(change.version.vendorKeyId);
    await expect(rt.service.api['key.rotate']({ ref: QUAVE })).rejects.toThrow(
      /a rotation of acme\/agent is still retiring its old key: the vendor refused to revoke it, next attempt at /,
    );

    expect(await rt.service.api['rotation.retryRevoke']({ ref: QUAVE })).toBeNull();
    expect(sb.dashboard.isLive('quave', oldSecret!)).toBe(false);
    expect(await keychainSecret(old.id)).toBeUndefined();
    const after = await versions(QUAVE);
    expect(after.find((v) => v.id === old.id)?.state).toBe('revoked');
    expect(await rotations()).toEqual([]);
  });

  it('revoke refused twice: retried on its own with backoff until the vendor revokes it', async () => {
    const old = activeVersion(await versions(QUAVE));
    const oldSecret = await keychainSecret(old.id);
    whenStepDone(QUAVE, 'drain', breakQuave({ failNext: { status: 500, count: 2 } }));
    const started = Date.now();
    await rt.service.api['key.rotate']({ ref: QUAVE });
    expect((await rotations())[0]?.waitingFor).toBe('revoke-retry');
    await expect.poll(rotations, { timeout: 15_000, interval: 100 }).toEqual([]);
    // 1.5 s, then 3 s: the second retry came after the doubled delay.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(sb.dashboard.isLive('quave', oldSecret!)).toBe(false);
    expect(await keychainSecret(old.id)).toBeUndefined();
    const revokes = (await audit(QUAVE))
      .filter((e) => e.event === 'rotation.revoke')
      .slice(-3)
      .map((e) => e.detail?.ok);
    expect(revokes).toEqual([false, false, true]);
  });

  it('vendor down at mint: a clean abort, nothing changed anywhere', async () => {
    const versionsBefore = await versions(QUAVE);
    const vendorBefore = quaveMcpKeys(sb);
    const old = activeVersion(versionsBefore);
    sb.setSwitches('quave', { down: true });
    await expect(rt.service.api['key.rotate']({ ref: QUAVE })).rejects.toMatchObject({
      code: 'vendor_unavailable',
      message: expect.stringMatching(/Quave/) as string,
    });
    sb.setSwitches('quave', { down: false });
    expect(await versions(QUAVE)).toEqual(versionsBefore);
    expect(quaveMcpKeys(sb)).toEqual(vendorBefore);
    expect(await rotations()).toEqual([]);
    expect(await keychainSecret(old.id)).toBeDefined();
    expect(await calledWith()).toBe(old.vendorKeyId);
  });

  it('guided (Specivo): not forgotten while the vendor still accepts the old key; forgotten once revoked', async () => {
    const old = activeVersion(await versions(SPECIVO));
    const oldSecret = await keychainSecret(old.id);
    const oldId = sb.dashboard.keys('specivo').find((k) => k.name === 'agent-1')!.id;
    // Pasting the key already in use would have the user revoke the agent's only key.
    const same = await runKeyway(['key', 'rotate', SPECIVO, '--secret-stdin'], {
      dataDir,
      stdin: oldSecret,
    });
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/this is the key spec\/agent already uses/);

    const next = sb.dashboard.createKey('specivo', { name: 'agent-2' }).secret;
    const rotated = await runKeyway(['key', 'rotate', SPECIVO, '--secret-stdin', '--json'], {
      dataDir,
      stdin: next,
    });
    expect(rotated.stderr).toBe('');
    const change = JSON.parse(rotated.stdout) as KeyChange;
    expect(change.steps.map((s) => s.step)).toEqual(['store', 'verify', 'swap', 'drain', 'revoke']);
    expect(change.warnings.join(' ')).toMatch(/Now revoke the old key \(….{4}\) yourself/);
    expect((await rotations())[0]).toMatchObject({ key: SPECIVO, waitingFor: 'user-revoke' });

    // The user says "done" too early (`key rotate` again, no stdin): Specivo still accepts the
    // old key, so Keyway keeps it and says so.
    const early = await runKeyway(['key', 'rotate', SPECIVO, '--json'], { dataDir });
    expect(early.stderr).toBe('');
    const stillWaiting = JSON.parse(early.stdout) as { done: boolean; rotation: RotationView };
    expect(stillWaiting).toMatchObject({ done: false, rotation: { waitingFor: 'user-revoke' } });
    expect(stillWaiting.rotation.message).toMatch(
      /^Specivo still accepts the old key \(….{4}\); Keyway keeps it until it is revoked\.$/,
    );
    expect(await keychainSecret(old.id)).toBe(oldSecret);
    expect((await versions(SPECIVO)).find((v) => v.id === old.id)?.state).toBe('retiring');

    expect(sb.dashboard.revokeKey('specivo', oldId)).toBe(true);
    const confirmed = await runKeyway(['key', 'rotate', SPECIVO, '--json'], { dataDir });
    expect(JSON.parse(confirmed.stdout)).toEqual({ ref: SPECIVO, done: true, rotation: null });
    expect(await keychainSecret(old.id)).toBeUndefined();
    const after = await versions(SPECIVO);
    expect(after.find((v) => v.id === old.id)?.state).toBe('revoked');
    expect(await keychainSecret(activeVersion(after).id)).toBe(next);
    expect(await rotations()).toEqual([]);
  });

  it('guided, vendor down at verification: the pasted key is kept and the rotation resumes', async () => {
    const old = activeVersion(await versions(SPECIVO));
    const next = sb.dashboard.createKey('specivo', { name: 'agent-3' }).secret;
    sb.setSwitches('specivo', { down: true });
    await expect(rt.service.api['key.rotate']({ ref: SPECIVO, secret: next })).rejects.toThrow(
      /^could not verify the new key: .*; Keyway keeps it and tries again; the old key \(….{4}\) stays in use$/,
    );
    const [pending] = await rotations();
    expect(pending).toMatchObject({ key: SPECIVO, step: 'stored', waitingFor: null });
    expect(await keychainSecret(pending!.newVersion!.id)).toBe(next);
    expect(activeVersion(await versions(SPECIVO)).id).toBe(old.id);

    // The vendor is back; the scheduler's next check carries the rotation on to the swap.
    sb.setSwitches('specivo', { down: false });
    await rt.service.rotation.scheduler.tick();
    expect((await rotations())[0]).toMatchObject({ key: SPECIVO, waitingFor: 'user-revoke' });
    expect(activeVersion(await versions(SPECIVO)).id).toBe(pending!.newVersion!.id);
    const oldSecret = await keychainSecret(old.id);
    expect(sb.dashboard.revokeKey('specivo', oldSecret!)).toBe(true);
    expect(await rt.service.api['rotation.confirmRevoked']({ ref: SPECIVO })).toBeNull();
    expect(await keychainSecret(old.id)).toBeUndefined();
  });

  it('two rotations of one key at once: the second is told one is under way', async () => {
    sb.setSwitches('quave', { latencyMs: 300 });
    const first = rt.service.api['key.rotate']({ ref: QUAVE }).then(
      (change) => change,
      (err: Error) => err,
    );
    await expect.poll(async () => (await rotations()).length).toBe(1);
    const second = await runKeyway(['key', 'rotate', QUAVE], { dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/a rotation of acme\/agent is already under way/);
    const done = await first;
    if (done instanceof Error) throw done;
    expect(done.steps.every((s) => s.ok)).toBe(true);
    expect(await rotations()).toEqual([]);
  });
});
