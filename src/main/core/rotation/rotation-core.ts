import { KeywayError } from '../../../shared/errors';
import type { RotationView } from '../../../shared/contract';
import type { Account, Key, KeyVersion } from '../../../shared/domain';
import { RotationJournal } from '../store/rotation-journal';
import type { RotationRecord } from '../store/store-document';
import type { RotationContext, RotationProxyPort, VersionHolder } from './rotation-context';
import type { StepRunner } from './rotation-steps';
import { rotationView } from './rotation-view';
import { credentialFor } from './vendor-calls';

export interface RotationOptions {
  /** Longest wait for requests that started with the old key (DESIGN: bounded; default 30 s). */
  drainMs: number;
  /** First retry delay for a failed revoke, doubled each time up to an hour. */
  retryBaseMs: number;
}

/** One new key version being worked on: its journal entry and what it acts on. */
export interface Working {
  entry: RotationRecord;
  /** For a create: the key as it will be stored once its first version is proven. */
  key: Key;
  account: Account;
  /** The version being replaced; null for a create. */
  old: KeyVersion | null;
  runner: StepRunner;
  warnings: string[];
  /** Read from the keychain once per change, when a vendor call first needs it. */
  credential?: string;
  /** The new secret, while this process still holds it (not after a restart). */
  secret?: string;
}

/** A rotation: a new version that replaces one. */
export type Rotating = Working & { old: KeyVersion };

const MAX_RETRY_MS = 3_600_000;

/**
 * What every step of a key change shares: the context, the journal, one change per key at a time,
 * the retry clock and the "rotation.changed" announcement. The steps (new-key, swap, retire,
 * rollback) take this, and the engine that sequences them extends it, so no step imports the
 * engine.
 */
export class RotationCore {
  readonly journal: RotationJournal;
  private readonly running = new Set<string>();

  constructor(
    readonly ctx: RotationContext,
    readonly opts: RotationOptions,
    readonly scheduleRetry: (at: Date) => void,
    readonly proxy: RotationProxyPort,
    /** Besides the proxy, what the drain waits for (e.g. `keyway run` programs). */
    readonly holders: readonly VersionHolder[] = [],
  ) {
    this.journal = new RotationJournal(ctx);
  }

  isRunning(ref: string): boolean {
    return this.running.has(ref);
  }

  /** One change per key at a time, whoever asks (UI, CLI, scheduler, recovery). */
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

  async credentialOf(w: Working, purpose: string): Promise<string> {
    w.credential ??= await credentialFor(this.ctx, w.account, purpose);
    return w.credential;
  }

  changed(ref: string): void {
    const entry = this.journal.forKey(ref, 'rotate');
    let rotation: RotationView | null = null;
    try {
      rotation = entry ? rotationView(this.ctx, entry) : null;
    } catch {
      // The key went away with its rotation; subscribers only need to know it changed.
    }
    this.ctx.events.emit('rotation.changed', { key: ref, rotation });
  }
}
