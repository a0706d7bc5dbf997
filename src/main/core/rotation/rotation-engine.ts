import { secretNames } from '../keychain/secret-store';
import { KeywayError } from '../../../shared/errors';
import type { KeyChange, RotationView } from '../../../shared/contract';
import { currentVersion, type Account, type Key, type KeyVersion } from '../../../shared/domain';
import { findAccount, findKey } from '../service/lookups';
import { newVersion } from '../service/key-versions';
import { credentialFor } from '../service/vendor-calls';
import { record, type ServiceContext } from '../service/service-context';
import type { RotationRecord } from '../store/store-document';
import { crashPoint } from './rotation-crash';
import { checkPasted, mintNewKey, storeNewKey, verifyNewKey } from './rotation-new-key';
import { RotationJournal } from './rotation-journal';
import { rotationKeyName, withdrawNewKey } from './rotation-rollback';
import { confirmRevoked, guidedSteps, revokeOld } from './rotation-retire';
import { StepRunner } from './rotation-steps';
import { drainAll } from '../service/run-registry';

export interface RotationOptions {
  /** Longest wait for requests that started with the old key (DESIGN: bounded; default 30 s). */
  drainMs: number;
  /** First retry delay for a failed revoke, doubled each time up to an hour. */
  retryBaseMs: number;
}

/** One rotation being worked on: its journal entry and what it acts on. */
export interface Working {
  entry: RotationRecord;
  key: Key;
  account: Account;
  old: KeyVersion;
  runner: StepRunner;
  warnings: string[];
  /** Read from the keychain once per rotation, when a vendor call first needs it. */
  credential?: string;
  /** The new secret, while this process still holds it (not after a restart). */
  secret?: string;
}

const MAX_RETRY_MS = 3_600_000;
/** Longest a swap waits for the proxy to open new-key vendor sessions; later ones still help. */
const PREPARE_SWAP_MS = 2000;

/**
 * mint → store → verify → swap → drain → revoke → forget, each step journaled before the next.
 * Never revoke before the swap; never delete a secret while its key may be live; never lose a
 * freshly minted secret (it reaches the keychain before anything else happens).
 */
export class RotationEngine {
  readonly journal: RotationJournal;
  /** How a journal entry looks to the UI; the service sets it (rotation.changed carries it). */
  describe: (entry: RotationRecord) => RotationView | null = () => null;
  private readonly running = new Set<string>();

  constructor(
    readonly ctx: ServiceContext,
    readonly opts: RotationOptions,
    readonly scheduleRetry: (at: Date) => void,
  ) {
    this.journal = new RotationJournal(ctx);
  }

  isRunning(ref: string): boolean {
    return this.running.has(ref);
  }

  /** One rotation per key at a time, whoever asks (UI, CLI, scheduler, recovery). */
  async exclusive<T>(ref: string, work: () => Promise<T>): Promise<T> {
    if (this.running.has(ref))
      throw new KeywayError('busy', `a rotation of ${ref} is already under way`);
    this.running.add(ref);
    try {
      return await work();
    } finally {
      this.running.delete(ref);
    }
  }

  /** When to try a failed vendor call again: the base delay, doubled per attempt, up to an hour. */
  retryTime(attempts: number): Date {
    const delay = Math.min(this.opts.retryBaseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
    return new Date(this.ctx.now().getTime() + delay);
  }

  rotate(ref: string, pasted?: string): Promise<KeyChange> {
    return this.exclusive(ref, async () => {
      const key = findKey(this.ctx.store.current, ref);
      const account = findAccount(this.ctx.store.current, key.account);
      const pending = this.journal.forKey(ref);
      if (pending) throw new KeywayError('busy', `a rotation of ${ref} ${pendingState(pending)}`);
      const old = currentVersion(key);
      if (!old) throw new KeywayError('conflict', `key ${ref} has no active version to rotate`);
      const adapter = this.ctx.vendor(account.vendor);
      const apiMint = adapter.capabilities.mint && adapter.mint !== undefined;
      if (pasted === undefined && !apiMint) {
        const guided = guidedSteps(this.ctx, account);
        const steps = guided ? ` ${guided.createSteps.join(' ')} (${guided.dashboardUrl})` : '';
        throw new KeywayError(
          'bad_input',
          `${adapter.displayName} keys are made in its dashboard: create the new key there, then paste it.${steps}`,
          'secret',
        );
      }
      if (pasted !== undefined) await checkPasted(this.ctx, key, old, account, pasted);
      const entry = await this.journal.begin(ref, 'rotate', 'mint', {
        vendorName: pasted === undefined ? rotationKeyName(ref, this.ctx.now()) : null,
        oldVersionId: old.id,
      });
      const w: Working = {
        entry,
        key,
        account,
        old,
        runner: new StepRunner(this.ctx, ref, entry.id),
        warnings: [],
      };
      this.changed(ref);
      crashPoint('mint');
      if (pasted === undefined) await mintNewKey(this, w);
      else await storeNewKey(this, w, newVersion(pasted, this.ctx.now(), null, null), pasted);
      return this.continueFrom(w);
    });
  }

  async credentialOf(w: Working, purpose: string): Promise<string> {
    w.credential ??= await credentialFor(this.ctx, w.account, purpose);
    return w.credential;
  }

  /** Resumes a journaled rotation at the step after the last one known to be done. */
  async continueFrom(w: Working): Promise<KeyChange> {
    const ref = w.key.ref;
    if (w.entry.step === 'stored') await verifyNewKey(this, w);
    if (w.entry.step === 'verified') await this.swap(w);
    if (w.entry.step === 'swapped') await this.drain(w);
    if (
      w.entry.step === 'drained' ||
      (w.entry.step === 'revoking' && w.entry.waitingFor !== 'user-revoke')
    )
      await revokeOld(this, w);
    this.changed(ref);
    const key = findKey(this.ctx.store.current, ref);
    const version = key.versions.find((v) => v.id === w.entry.newVersionId);
    if (!version)
      throw new KeywayError('internal', `the rotation of ${ref} stopped before the swap`);
    const retired = key.versions.find((v) => v.id === w.old.id) ?? null;
    return { ref, version, retired, steps: w.runner.steps, warnings: w.warnings };
  }

  /**
   * Undoes a new key nobody uses yet: revoked at the vendor, then forgotten. If the vendor cannot
   * be reached, the journal keeps the entry (`rolling-back`) and the scheduler tries again.
   */
  async rollBack(entry: RotationRecord, reason: string): Promise<boolean> {
    let withdrawn: string[];
    try {
      withdrawn = await withdrawNewKey(this.ctx, this.journal, entry);
    } catch (err) {
      const attempts = entry.attempts + 1;
      const at = this.retryTime(attempts);
      await this.journal.advance(entry.id, {
        step: 'rolling-back',
        waitingFor: null,
        attempts,
        nextRetryAt: at.toISOString(),
        message: `withdrawing the unused new key failed (${(err as Error).message}); retrying at ${at.toISOString()}`,
      });
      this.scheduleRetry(at);
      this.changed(entry.key);
      return false;
    }
    await record(this.ctx, {
      event: 'rotation.rolled-back',
      key: entry.key,
      client: null,
      detail: { rotationId: entry.id, reason, withdrawn },
    });
    this.changed(entry.key);
    return true;
  }

  private async swap(w: Working): Promise<void> {
    const newV = w.entry.newVersion!;
    // The proxy gets the secret now, so the first requests after the swap wait on no keychain.
    const secret = w.secret ?? (await this.ctx.secrets.get(secretNames.keyVersion(newV.id)));
    if (secret !== undefined) {
      this.ctx.hooks.versionReady?.(newV.id, secret);
      await this.prepareSwap(w.key.ref, newV.id, secret);
    }
    await w.runner.run('swap', () =>
      // One atomic store write: the new version becomes current, the old one retiring, and the
      // journal says so — the proxy reads the current version on its very next request.
      this.ctx.store.update((doc) => {
        const key = doc.keys.find((k) => k.ref === w.key.ref);
        if (!key)
          throw new KeywayError('not_found', `key ${w.key.ref} was removed during its rotation`);
        if (!key.versions.some((v) => v.id === newV.id))
          key.versions.push({ ...newV, state: 'active' });
        const old = key.versions.find((v) => v.id === w.old.id);
        if (old && old.state === 'active') old.state = 'retiring';
        key.refusedAt = null;
        const r = doc.rotations.find((x) => x.id === w.entry.id);
        if (r) Object.assign(r, { step: 'swapped', updatedAt: this.ctx.now().toISOString() });
      }),
    );
    w.entry = { ...w.entry, step: 'swapped' };
    this.ctx.events.emit('state.changed', { what: 'keys' });
    crashPoint('swapped');
  }

  /** Best effort and bounded: a slow or failing proxy never holds up or fails the rotation. */
  private async prepareSwap(ref: string, versionId: string, secret: string): Promise<void> {
    const prepare = this.ctx.hooks.prepareSwap;
    if (!prepare) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, PREPARE_SWAP_MS);
    });
    try {
      await Promise.race([prepare(ref, versionId, secret).catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async drain(w: Working): Promise<void> {
    const drainMs = this.opts.drainMs;
    await w.runner.run(
      'drain',
      () => drainAll(this.ctx, w.old.id, drainMs),
      (r) =>
        r.drained
          ? undefined
          : `${r.inFlight} request(s) with the old key were still running after ${drainMs} ms`,
    );
    w.entry = await this.journal.advance(w.entry.id, { step: 'drained' });
    crashPoint('drained');
  }

  /** Guided: the user says the old key is revoked; forget it only if the vendor refuses it now. */
  confirmRevoked(ref: string): Promise<boolean> {
    return this.exclusive(ref, () => confirmRevoked(this, this.working(ref)));
  }

  /** Tries a failed revoke (or the withdrawal of an unused new key) again, now. */
  retryRevoke(ref: string): Promise<void> {
    return this.exclusive(ref, async () => {
      const w = this.working(ref);
      if (w.entry.step === 'rolling-back') {
        await this.rollBack(w.entry, 'retried');
        return;
      }
      if (w.entry.waitingFor !== 'revoke-retry')
        throw new KeywayError('conflict', `a rotation of ${ref} ${pendingState(w.entry)}`);
      await this.continueFrom(w);
    });
  }

  working(ref: string): Working {
    const entry = this.journal.forKey(ref, 'rotate');
    if (!entry) throw new KeywayError('not_found', `no rotation of ${ref} is in progress`);
    const key = findKey(this.ctx.store.current, ref);
    const account = findAccount(this.ctx.store.current, key.account);
    const old = key.versions.find((v) => v.id === entry.oldVersionId);
    if (!old) throw new KeywayError('internal', `the old version of ${ref} is missing`);
    return {
      entry,
      key,
      account,
      old,
      runner: new StepRunner(this.ctx, ref, entry.id),
      warnings: [],
    };
  }

  changed(ref: string): void {
    const entry = this.journal.forKey(ref, 'rotate');
    let rotation: RotationView | null = null;
    try {
      rotation = entry ? this.describe(entry) : null;
    } catch {
      // The key went away with its rotation; subscribers only need to know it changed.
    }
    this.ctx.events.emit('rotation.changed', { key: ref, rotation });
  }
}

/** What a pending rotation is waiting for, in words, after "a rotation of REF …". */
export function pendingState(r: RotationRecord): string {
  if (r.waitingFor === 'user-revoke')
    return `is waiting for you to revoke the old key in the dashboard; run \`keyway key rotate ${r.key}\` once you have`;
  if (r.waitingFor === 'revoke-retry')
    return `is still retiring its old key: the vendor refused to revoke it, next attempt at ${r.nextRetryAt ?? 'the next check'}`;
  if (r.step === 'rolling-back') return 'is still withdrawing a new key that never went into use';
  // Callers hold the key's lock, so this entry is idle: an error interrupted it.
  return `was interrupted after "${r.step}"; Keyway resumes it shortly`;
}
