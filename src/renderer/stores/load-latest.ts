import { errorMessage } from '../api/error-message';

/**
 * Runs a load so that only the newest call's answer is applied: an event-triggered reload may
 * overtake a slower one started earlier, and a stale answer must not win.
 */
export function loadLatest<T>(
  fetch: () => Promise<T>,
  apply: (value: T) => void,
  fail: (message: string) => void,
): () => Promise<void> {
  let seq = 0;
  return async () => {
    const mine = ++seq;
    try {
      const value = await fetch();
      if (mine === seq) apply(value);
    } catch (err) {
      if (mine === seq) fail(errorMessage(err));
    }
  };
}
