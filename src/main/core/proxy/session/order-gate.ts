/**
 * Keeps a session's requests reaching the vendor in the order the client sent them, where it
 * matters: an SDK client opens its standalone GET stream right after `notifications/initialized`
 * and sends its next request at once, and a vendor that sends a server request (sampling,
 * elicitation) on that stream drops it if the stream is not open there yet. So after
 * `initialized` the session expects its stream, briefly, and while the stream is being opened at
 * the vendor, the session's other requests wait. Every hold lapses on its own: a client that
 * never opens a stream costs the calls it makes right after `initialized` one short wait.
 */
export class OrderGate {
  private holds = 0;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private expecting: (() => void) | undefined;

  /** Requests that must wait now, or undefined (the common case: no promise, no tick). */
  wait(): Promise<void> | undefined {
    return this.gate;
  }

  /** Holds the gate until the returned function runs, or `ms` pass (then `onLapse` runs). */
  hold(ms: number, onLapse?: () => void): () => void {
    if (this.holds++ === 0) this.gate = new Promise<void>((resolve) => (this.release = resolve));
    let done = false;
    const free = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (--this.holds > 0) return;
      const release = this.release;
      this.gate = this.release = undefined;
      release?.();
    };
    const timer = setTimeout(() => {
      if (!done) onLapse?.();
      free();
    }, ms);
    timer.unref();
    return free;
  }

  /** The client said `initialized`: its standalone stream should follow at once. */
  expectStream(ms: number): void {
    this.expecting?.();
    this.expecting = this.hold(ms);
  }

  /** The client's GET arrived: held until it is open at the vendor (the returned function). */
  streamOpening(ms: number): () => void {
    const opening = this.hold(ms);
    const expecting = this.expecting;
    this.expecting = undefined;
    expecting?.();
    return opening;
  }

  /** The session is over: nothing waits on it any more. */
  clear(): void {
    this.expecting?.();
    this.expecting = undefined;
    const release = this.release;
    this.holds = 0;
    this.gate = this.release = undefined;
    release?.();
  }
}
