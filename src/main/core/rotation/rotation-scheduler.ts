import { currentVersion, type Key } from '../../../shared/domain';
import { record } from '../audit/audit-record';
import { lookupAccount } from '../store/lookups';
import type { RotationContext } from './rotation-context';
import type { RotationEngine } from './rotation-engine';
import { recoverRotation } from './rotation-recovery';
import type { RotationRecord } from '../store/store-document';

const DAY = 86_400_000;

/** When a key is due: its rotation period since the current version, or ahead of its expiry. */
export function dueAt(key: Key): Date | null {
  const v = currentVersion(key);
  if (!v) return null;
  const created = Date.parse(v.created);
  const candidates: number[] = [];
  if (key.rotateEvery && Number.isFinite(created)) candidates.push(created + key.rotateEvery * DAY);
  const expires = v.expires ? Date.parse(v.expires) : NaN;
  if (Number.isFinite(expires)) {
    // Rotate a week early, or a fifth of the lifetime early for short-lived keys.
    const lifetime = Number.isFinite(created) ? Math.max(0, expires - created) : Infinity;
    candidates.push(expires - Math.min(7 * DAY, lifetime / 5));
  }
  return candidates.length ? new Date(Math.min(...candidates)) : null;
}

/**
 * Retries pending revokes and rotates API-vendor keys when due; for guided keys it raises a
 * "due" event once per version (only the user can make their new key).
 */
export class RotationScheduler {
  private timer: NodeJS.Timeout | undefined;
  private wake: NodeJS.Timeout | undefined;
  private readonly announced = new Set<string>();
  /** Automatic rotations that failed: how often, and not before when to try again. */
  private readonly backoff = new Map<string, { attempts: number; next: number }>();
  private ticking = false;
  private tickAgain = false;
  private wakeAt = 0;

  constructor(
    private readonly ctx: RotationContext,
    private readonly engine: RotationEngine,
    private readonly tickMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
    void this.recoverAll().then(() => this.tick());
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.wake);
  }

  /** Wake up at `at` (a revoke retry), sooner than the next regular tick. */
  retryAt(at: Date): void {
    const delay = Math.max(0, at.getTime() - this.ctx.now().getTime());
    if (delay >= this.tickMs) return;
    // One timer, for the earliest retry; the tick it triggers handles every entry that is due.
    if (this.wake && this.wakeAt <= at.getTime()) return;
    clearTimeout(this.wake);
    this.wakeAt = at.getTime();
    this.wake = setTimeout(() => {
      this.wake = undefined;
      void this.tick();
    }, delay);
    this.wake.unref();
  }

  /** On start: every journaled key change is resumed or rolled back. */
  async recoverAll(): Promise<void> {
    for (const entry of this.engine.journal.all()) {
      await recoverRotation(this.ctx, this.engine, entry).catch((err: unknown) => {
        this.failed(entry.key, err);
      });
    }
  }

  async tick(): Promise<void> {
    if (this.ticking) {
      // A retry woke us while a tick runs: look again once it is done rather than wait a tick.
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        const now = this.ctx.now().getTime();
        for (const entry of this.engine.journal.all()) {
          if (!this.needsWork(entry, now)) continue;
          await recoverRotation(this.ctx, this.engine, entry).catch((err: unknown) =>
            this.failed(entry.key, err),
          );
        }
        for (const key of this.ctx.store.current.keys) await this.checkDue(key, now);
      } while (this.tickAgain);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * A journal entry nobody is working on and that is not waiting for the user or for its retry
   * time: a revoke to retry, an unused key to withdraw, or a change an error interrupted.
   */
  private needsWork(entry: RotationRecord, now: number): boolean {
    if (this.engine.isRunning(entry.key) || entry.waitingFor === 'user-revoke') return false;
    if (entry.nextRetryAt === null) return true;
    const at = Date.parse(entry.nextRetryAt);
    if (at <= now) return true;
    // Timers may fire a little early, and a restart loses them: keep the wake-up armed.
    this.retryAt(new Date(at));
    return false;
  }

  private async checkDue(key: Key, now: number): Promise<void> {
    const due = dueAt(key);
    const version = currentVersion(key);
    if (
      !due ||
      !version ||
      due.getTime() > now ||
      this.engine.journal.forKey(key.ref) ||
      this.engine.isRunning(key.ref)
    )
      return;
    const account = lookupAccount(this.ctx.store.current, key.account);
    const adapter = account && this.ctx.vendor(account.vendor);
    const automatic = Boolean(adapter?.capabilities.mint && account?.hasCredential);
    if (!this.announced.has(version.id)) {
      this.announced.add(version.id);
      this.ctx.events.emit('key.due', {
        key: key.ref,
        dueAt: due.toISOString(),
        guided: !automatic,
      });
      await record(this.ctx, {
        event: 'key.due',
        key: key.ref,
        client: null,
        detail: { dueAt: due.toISOString(), automatic },
      });
    }
    if (!automatic) return;
    const backoff = this.backoff.get(key.ref);
    if (backoff && backoff.next > now) return;
    try {
      await this.engine.rotate(key.ref);
      this.backoff.delete(key.ref);
    } catch (err) {
      // A vendor that is down is not asked again every tick: back off like a failed revoke.
      const attempts = (backoff?.attempts ?? 0) + 1;
      this.backoff.set(key.ref, { attempts, next: this.engine.retryTime(attempts).getTime() });
      this.failed(key.ref, err);
    }
  }

  private failed(key: string, err: unknown): void {
    void record(this.ctx, {
      event: 'rotation.failed',
      key,
      client: null,
      detail: { message: (err as Error).message },
    }).catch((e: unknown) => this.ctx.log.warn(`could not audit the failed rotation of ${key}`, e));
  }
}
