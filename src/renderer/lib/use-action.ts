import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/error-message';
import type { NoticesStore } from '../stores/notices-store';
import { useStores } from '../stores/hooks';

export interface ActionOptions<A extends unknown[], R> {
  /** A notice once it worked (text, or built from the result and the arguments). */
  success?: string | ((result: R, ...args: A) => string);
  /**
   * Where a failure goes: `inline` (default) keeps it in `error` for the form to show next to
   * what failed; `notice` pushes it to the notices, for actions with no form of their own.
   */
  failure?: 'inline' | 'notice';
}

export interface Action<A extends unknown[], R> {
  /** Runs it; resolves to the result, or undefined when it failed (the failure is reported). */
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: string | null;
  /** Forget the last failure (the user changed what caused it). */
  clear: () => void;
}

/**
 * The one way the UI runs a write: busy while it runs (a second click is ignored), the failure in
 * the vendor's or Keyway's words, and the success notice. A result arriving after the component
 * left is dropped rather than set on an unmounted component.
 */
export function useAction<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  opts: ActionOptions<A, R> = {},
): Action<A, R> {
  const notices = useStores().notices;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // The latest fn/options without making `run` change identity on every render.
  const latest = useRef({ fn, opts });
  useEffect(() => {
    latest.current = { fn, opts };
  });

  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      if (running.current) return undefined;
      running.current = true;
      setBusy(true);
      setError(null);
      const { fn: call, opts: o } = latest.current;
      try {
        const result = await runReported(notices, () => call(...args), {
          success: o.success === undefined ? undefined : (r: R) => successText(o.success, r, args),
          onError: o.failure === 'notice' ? undefined : (m) => mounted.current && setError(m),
        });
        return result;
      } finally {
        running.current = false;
        if (mounted.current) setBusy(false);
      }
    },
    [notices],
  );
  const clear = useCallback(() => setError(null), []);
  return { run, busy, error, clear };
}

function successText<A extends unknown[], R>(
  success: ActionOptions<A, R>['success'],
  result: R,
  args: A,
): string {
  return typeof success === 'function' ? success(result, ...args) : (success ?? '');
}

/**
 * The same reporting for writes started outside a component's own state (a row's menu, a
 * notice): success and failure both become notices unless `onError` takes the failure.
 */
export async function runReported<R>(
  notices: NoticesStore,
  call: () => Promise<R>,
  opts: { success?: (result: R) => string; onError?: (message: string, err: unknown) => void } = {},
): Promise<R | undefined> {
  try {
    const result = await call();
    const text = opts.success?.(result);
    if (text) notices.getState().push('success', text);
    return result;
  } catch (err) {
    const message = errorMessage(err);
    if (opts.onError) opts.onError(message, err);
    else notices.getState().push('error', message);
    return undefined;
  }
}
