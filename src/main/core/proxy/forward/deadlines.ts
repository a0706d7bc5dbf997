/**
 * Coarse timeouts from one shared sweep: waits here are minutes long, requests are many. (undici's
 * own per-request timeouts would do, but switching a connection between a headers timeout and no
 * body timeout makes it a new timer and WeakRef per request: measurably more GC per call.)
 */
export class Deadlines {
  private readonly pending = new Set<{ at: number; fire: () => void }>();
  private timer: NodeJS.Timeout | undefined;

  add(ms: number, fire: () => void): () => void {
    const entry = { at: Date.now() + ms, fire };
    this.pending.add(entry);
    this.timer ??= setInterval(() => this.sweep(), Math.min(250, ms)).unref();
    return () => this.pending.delete(entry);
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.at > now) continue;
      this.pending.delete(entry);
      entry.fire();
    }
    if (this.pending.size === 0) this.destroy();
  }

  destroy(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
