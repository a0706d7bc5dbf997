import type { KeywayApi, KeywayEvent } from '../../shared/contract';

/** Where the UI runs: the desktop app (IPC through the preload) or a browser on `keyway serve`. */
export type Shell = 'desktop' | 'browser';

/**
 * What the whole UI talks to: the contract's operations, live events, and which shell it is
 * (the browser never gets a key, so "Copy key" is a desktop-only action).
 */
export type KeywayClient = KeywayApi & {
  readonly shell: Shell;
  /** Service events; returns the unsubscribe function. */
  onEvent(listener: (event: KeywayEvent) => void): () => void;
  /**
   * Called when the event stream (re)connects after a gap: events may have been missed, so
   * caches should reload. Returns the unsubscribe function.
   */
  onResync(listener: () => void): () => void;
};
