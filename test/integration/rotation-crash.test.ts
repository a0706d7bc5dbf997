// Crash recovery: `keyway serve` is killed with SIGKILL right after each step of a rotation is
// journaled (KEYWAY_TEST_CRASH_AFTER, the engine's fault-injection hook), then started again.
// The sandbox Quave runs here, in the test, so it outlives every crash and remembers what
// Keyway did to it. After each restart the rotation must finish or roll back, no key may be
// live at the vendor without its secret in the keychain, the old key must never have been
// revoked before the swap, and the client must still get its tools.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { CRASH_POINTS, type CrashPoint } from '../../src/main/core/rotation/rotation-crash';
import type { RotationRecord, StoreDocument } from '../../src/main/core/store/store-document';
import type { KeyView } from '../../src/shared/contract';
import { runKeyway, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import {
  activeVersion,
  closeMcp,
  connectMcp,
  ControlApi,
  freePort,
  keychainSecret,
  quaveMcpKeys,
  setUpQuave,
  whoami,
  type QuaveSetup,
} from '../support/rotation-harness';

/** The journal step the store holds when the process dies at each crash point. */
const JOURNALED: Record<CrashPoint, RotationRecord['step']> = {
  mint: 'mint',
  minted: 'mint',
  stored: 'stored',
  verified: 'verified',
  swapped: 'swapped',
  drained: 'drained',
  revoking: 'revoking',
  revoked: 'revoking',
};
const BEFORE_SWAP = new Set<CrashPoint>(['mint', 'minted', 'stored', 'verified']);

let sb: Sandbox;
let dataDir: string;
let port: number;
let setup: QuaveSetup;
const running: ServeProcess[] = [];

function serve(env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return startServe({ dataDir, args: ['--port', String(port)], env }).then((s) => {
    running.push(s);
    return s;
  });
}

beforeAll(async () => {
  sb = await startSandbox();
  dataDir = await tempDataDir('keyway-rotation-crash-');
  port = await freePort();
  const first = await serve();
  setup = await setUpQuave(dataDir, sb);
  await first.stop();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await sb.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function journal(): Promise<RotationRecord[]> {
  const doc = JSON.parse(
    await readFile(join(dataDir, 'keyway-store.json'), 'utf8'),
  ) as StoreDocument;
  return doc.rotations;
}

/** How the process ended; 'still running' if it did not within a few seconds. */
async function exitOf(s: ServeProcess): Promise<NodeJS.Signals | 'still running' | null> {
  const ended = await new Promise<boolean>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), 10_000);
    s.child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  return ended ? s.child.signalCode : 'still running';
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SIGKILL at every step boundary of a rotation, then a restart', () => {
  for (const point of CRASH_POINTS) {
    it(`after "${point}": ${BEFORE_SWAP.has(point) ? 'rolls back' : 'completes'}`, async () => {
      sb.clearRequests('quave');
      const crashing = await serve({ KEYWAY_TEST_CRASH_AFTER: point });
      const before = ControlApi.fromUi(crashing.url, crashing.ui);
      const old = activeVersion(await before.versions(setup.ref));
      const oldSecret = await keychainSecret(old.id);
      expect(oldSecret).toBeDefined();

      const rotate = await runKeyway(['key', 'rotate', setup.ref, '--json'], { dataDir });
      // The CLI lost its server mid-call; anything else (an answer, an error) is a failure here.
      expect({ code: rotate.code, stdout: rotate.stdout }).toEqual({ code: 1, stdout: '' });
      expect(await exitOf(crashing), rotate.stderr).toBe('SIGKILL');

      // The process died exactly at the boundary asked for.
      const [entry, ...more] = await journal();
      expect(more).toEqual([]);
      expect(entry?.step).toBe(JOURNALED[point]);
      const { id: rotationId, newVersionId, vendorName } = entry!;
      const minted = () => quaveMcpKeys(sb).filter((k) => k.name === vendorName);
      if (point === 'mint') expect(minted()).toEqual([]);
      if (point === 'minted') {
        // The vendor made the key, the keychain never got it: an orphan only the journal names.
        expect(minted().map((k) => k.live)).toEqual([true]);
        expect(await keychainSecret(newVersionId)).toBeUndefined();
      }
      if (!['mint', 'minted'].includes(point))
        expect(await keychainSecret(newVersionId)).toBeDefined();

      const restarted = await serve();
      const api = ControlApi.fromUi(restarted.url, restarted.ui);
      await waitFor('the journal to empty', async () =>
        (await api.rotations()).length === 0 && (await journal()).length === 0 ? true : undefined,
      );

      const versions = await api.versions(setup.ref);
      const current = activeVersion(versions);
      const live = quaveMcpKeys(sb).filter((k) => k.live);
      const audit = await api.audit(setup.ref);
      const ofThis = audit.filter((e) => e.detail?.rotationId === rotationId);
      if (BEFORE_SWAP.has(point)) {
        expect(current.id).toBe(old.id);
        expect(versions.some((v) => v.id === newVersionId)).toBe(false);
        expect(minted().filter((k) => k.live)).toEqual([]);
        expect(await keychainSecret(newVersionId)).toBeUndefined();
        expect(await keychainSecret(old.id)).toBe(oldSecret);
        expect(sb.dashboard.isLive('quave', oldSecret!)).toBe(true);
        expect(ofThis.map((e) => e.event)).toContain('rotation.rolled-back');
        expect(ofThis.map((e) => e.event)).not.toContain('rotation.swap');
      } else {
        expect(current.id).toBe(newVersionId);
        expect(versions.find((v) => v.id === old.id)?.state).toBe('revoked');
        expect(await keychainSecret(old.id)).toBeUndefined();
        expect(sb.dashboard.isLive('quave', oldSecret!)).toBe(false);
        expect(audit.filter((e) => e.event === 'key.rotated').at(-1)?.detail?.to).toBe(
          current.fingerprint,
        );
        // Every revocation the vendor saw came after the swap was journaled and audited.
        const swapAt = ofThis.find((e) => e.event === 'rotation.swap')?.at;
        expect(swapAt).toBeDefined();
        const deletes = sb
          .requests('quave')
          .filter((r) => r.method === 'DELETE' && r.path.endsWith('/mcp-key'));
        expect(deletes.length).toBeGreaterThanOrEqual(1);
        expect(deletes.filter((r) => r.at < swapAt!)).toEqual([]);
      }

      // Nothing is live at the vendor that Keyway cannot hold: exactly the current key, whose
      // secret the keychain has.
      expect(live.map((k) => k.id)).toEqual([current.vendorKeyId]);
      for (const k of live) {
        const version = versions.find((v) => v.vendorKeyId === k.id);
        expect(version && (await keychainSecret(version.id))).toBeTruthy();
      }

      // The client, with the same token and URL, gets its tools with the current key.
      const session = await connectMcp(setup.url, setup.token);
      const who = await whoami(session.client);
      expect(who.keyId.split('#')[0]).toBe(current.vendorKeyId);
      await closeMcp(session);
    });
  }
});

/** A create has the rotation's first steps; its "swap" is the key going into use. */
const CREATE_POINTS: CrashPoint[] = ['mint', 'minted', 'stored', 'verified', 'swapped'];

describe('SIGKILL at every step boundary of a key create, then a restart', () => {
  for (const [n, point] of CREATE_POINTS.entries()) {
    it(`after "${point}": ${point === 'swapped' ? 'the key is kept' : 'nothing is left, in Keyway or at the vendor'}`, async () => {
      const ref = `acme/created-${n}`;
      const crashing = await serve({ KEYWAY_TEST_CRASH_AFTER: point });
      const create = await runKeyway(['key', 'create', ref, '--scope', 'quave:read', '--json'], {
        dataDir,
      });
      expect({ code: create.code, stdout: create.stdout }).toEqual({ code: 1, stdout: '' });
      expect(await exitOf(crashing), create.stderr).toBe('SIGKILL');

      const [entry, ...more] = await journal();
      expect(more).toEqual([]);
      if (point === 'swapped') {
        // The key and the end of its journal entry are one store write.
        expect(entry).toBeUndefined();
      } else {
        expect(entry).toMatchObject({ key: ref, kind: 'create', step: JOURNALED[point] });
      }
      const vendorName = entry?.vendorName;
      const minted = () => quaveMcpKeys(sb).filter((k) => k.name === vendorName);
      if (point === 'mint') expect(minted()).toEqual([]);
      if (point === 'minted') {
        expect(minted().map((k) => k.live)).toEqual([true]);
        expect(await keychainSecret(entry!.newVersionId)).toBeUndefined();
      }

      const restarted = await serve();
      const api = ControlApi.fromUi(restarted.url, restarted.ui);
      await waitFor('the journal to empty', async () =>
        (await journal()).length === 0 ? true : undefined,
      );
      const keys = await api.call<KeyView[]>('key.list');
      const created = keys.find((k) => k.ref === ref);
      if (point === 'swapped') {
        const version = activeVersion(created!.versions);
        expect(await keychainSecret(version.id)).toBeDefined();
        expect(created!.rotateEvery).toBe(90);
      } else {
        expect(created).toBeUndefined();
        expect(minted().filter((k) => k.live)).toEqual([]);
        expect(await keychainSecret(entry!.newVersionId)).toBeUndefined();
        const audit = await api.audit(ref);
        expect(
          audit.filter((e) => e.detail?.rotationId === entry!.id).map((e) => e.event),
        ).toContain('rotation.rolled-back');
      }

      // No orphan at the vendor: every live MCP key is the current version of a Keyway key,
      // and the keychain holds its secret.
      const current = keys.flatMap((k) => k.versions.filter((v) => v.state === 'active'));
      const live = quaveMcpKeys(sb).filter((k) => k.live);
      expect(live.map((k) => k.id).sort()).toEqual(current.map((v) => v.vendorKeyId).sort());
      for (const v of current) expect(await keychainSecret(v.id)).toBeDefined();
    });
  }
});
