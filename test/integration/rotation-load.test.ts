// One-click rotation under load: eight AI client sessions keep calling tools through the proxy of
// `keyway serve --sandbox` for over ten seconds while `keyway key rotate` runs in the middle.
// No call may fail, every call after the swap must carry the new key, the old key must be gone
// at the vendor and from the keychain, and the audit log must tell every step.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyChange } from '../../src/shared/contract';
import type { AuditEntry } from '../../src/shared/domain';
import {
  findSecrets,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';
import {
  activeVersion,
  ControlApi,
  keychainSecret,
  keyVersions,
  auditOf,
  sandboxKeysOver,
  sandboxLive,
  sandboxSwitches,
} from '../support/rotation-harness';
import { McpLoad, type CallRecord } from '../support/rotation-load';

const SESSIONS = 8;
const STEPS = ['mint', 'store', 'verify', 'swap', 'drain', 'revoke', 'forget'];

interface Ready {
  sandbox: {
    vendors: Record<string, { apiUrl: string; mcpUrl: string; dashboardUrl: string }>;
    demo: { key: string; url: string; token: string };
  };
}

let serve: ServeProcess | undefined;
let load: McpLoad | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await load?.close();
  await serve?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  load = serve = dataDir = undefined;
});

async function rotateUnderLoad(bound: boolean) {
  dataDir = await tempDataDir('keyway-rotation-load-');
  serve = await startServe({
    dataDir,
    args: ['--sandbox'],
    env: { KEYWAY_DRAIN_MS: '5000', KEYWAY_REVOKE_RETRY_MS: '200' },
  });
  const ready = JSON.parse(serve.output().stdout.split('\n')[0]!) as Ready;
  const { demo } = ready.sandbox;
  const quave = new URL(ready.sandbox.vendors.quave!.apiUrl).origin;
  if (bound) await sandboxSwitches(quave, { boundSessions: true });

  const before = activeVersion(await keyVersions(dataDir, demo.key));
  const oldSecret = await keychainSecret(before.id);
  expect(oldSecret).toBeDefined();

  load = await McpLoad.open(demo.url, demo.token, SESSIONS);
  const clientSessions = load.sessionIds();
  const started = Date.now();
  load.start();
  await load.waitCalls(started, 10);
  // Let the load run a while with the old key before rotating in the middle of it.
  await new Promise((r) => setTimeout(r, 4000));

  const rotateStart = Date.now();
  const rotation = await runKeyway(['key', 'rotate', demo.key, '--json'], { dataDir });
  const rotateEnd = Date.now();
  expect(rotation.stderr).toBe('');
  expect(rotation.code).toBe(0);
  const change = JSON.parse(rotation.stdout) as KeyChange;
  expect(change.steps.map((s) => s.step)).toEqual(STEPS);
  expect(change.steps.every((s) => s.ok)).toBe(true);

  await load.waitCalls(rotateEnd, 10);
  const remaining = 10_000 - (Date.now() - started);
  if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
  await load.waitCalls(rotateEnd + 2000, 5);
  await load.stop();
  const ended = Date.now();

  const versions = await keyVersions(dataDir, demo.key);
  const after = activeVersion(versions);
  const audit = await auditOf(dataDir, demo.key);
  const rotationId = audit.find((e) => e.event === 'rotation.mint' && e.at >= iso(rotateStart))
    ?.detail?.rotationId;
  const steps = audit.filter((e) => e.detail?.rotationId === rotationId);
  const swapAt = Date.parse(steps.find((e) => e.event === 'rotation.swap')!.at);

  // Zero failed calls over at least ten seconds, through the swap and the revocation.
  expect(load.failures).toEqual([]);
  expect(load.transportErrors).toEqual([]);
  expect(ended - started).toBeGreaterThanOrEqual(10_000);
  expect(load.sessionIds()).toEqual(clientSessions);
  const whoamis = load.records.filter((r) => r.tool === 'whoami');
  const beforeRotation = whoamis.filter((r) => r.endedAt < rotateStart);
  const afterSwap = whoamis.filter((r) => r.startedAt > swapAt);
  expect(beforeRotation.length).toBeGreaterThanOrEqual(SESSIONS * 5);
  expect(afterSwap.length).toBeGreaterThanOrEqual(SESSIONS * 10);
  expect(new Set(beforeRotation.map(vendorKeyOf))).toEqual(new Set([before.vendorKeyId]));
  expect(new Set(afterSwap.map(vendorKeyOf))).toEqual(new Set([after.vendorKeyId]));
  expect(after.id).not.toBe(before.id);
  expect(change.version.id).toBe(after.id);

  // The old key is gone at the vendor; the new one is live there.
  const keys = await sandboxKeysOver(quave);
  expect(keys.find((k) => k.id === before.vendorKeyId)?.live ?? false).toBe(false);
  expect(keys.find((k) => k.id === after.vendorKeyId)?.live).toBe(true);
  expect(await sandboxLive(quave, oldSecret!)).toBe(false);

  // The keychain holds only the new secret, and it is the one the vendor accepts.
  expect(versions.find((v) => v.id === before.id)?.state).toBe('revoked');
  expect(await keychainSecret(before.id)).toBeUndefined();
  const newSecret = await keychainSecret(after.id);
  expect(newSecret).toBeDefined();
  expect(await sandboxLive(quave, newSecret!)).toBe(true);

  // Every step is in the audit log, in order, before the key.rotated entry.
  expect(steps.map((e) => e.event)).toEqual(STEPS.map((s) => `rotation.${s}`));
  expect(steps.every((e) => e.detail?.ok === true)).toBe(true);
  const rotated = audit.filter((e: AuditEntry) => e.event === 'key.rotated');
  expect(rotated).toHaveLength(1);
  expect(rotated[0]!.at >= steps.at(-1)!.at).toBe(true);
  const api = ControlApi.fromUi(serve.url, serve.ui);
  expect(await api.rotations()).toEqual([]);

  // The clients end their sessions cleanly through the proxy, after the rotation too.
  expect(await load.close()).toEqual([]);
  load = undefined;

  // Neither secret reached a file or an output.
  const outputs = [rotation.stdout, rotation.stderr, serve.output().stdout, serve.output().stderr];
  expect(await findSecrets(dataDir, outputs, [oldSecret!, newSecret!])).toEqual([]);
  return { whoamis, swapAt };
}

/** The sandbox names the key that served a call `<vendor key id>#<secret generation>`. */
function vendorKeyOf(r: CallRecord): string | undefined {
  return r.keyId?.split('#')[0];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe('rotation under load: 8 sessions calling tools through the proxy', () => {
  it('against a Quave that checks the key per request', async () => {
    const { whoamis, swapAt } = await rotateUnderLoad(false);
    // The vendor kept each session: the same vendor session served calls before and after.
    for (let i = 0; i < SESSIONS; i++) {
      const mine = whoamis.filter((r) => r.session === i);
      const first = mine.find((r) => r.endedAt < swapAt)?.upstreamSession;
      expect(mine.at(-1)?.upstreamSession).toBe(first);
    }
  });

  it('against a Quave that binds sessions to the key that opened them', async () => {
    const { whoamis, swapAt } = await rotateUnderLoad(true);
    // Each vendor session was re-opened with the new key behind its client's back.
    for (let i = 0; i < SESSIONS; i++) {
      const mine = whoamis.filter((r) => r.session === i);
      const first = mine.find((r) => r.endedAt < swapAt)?.upstreamSession;
      const last = mine.at(-1)?.upstreamSession;
      expect(first).toBeTruthy();
      expect(last).toBeTruthy();
      expect(last).not.toBe(first);
    }
  });
});
