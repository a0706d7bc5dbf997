import { isErrorBody, KeywayError, type ErrorBody } from './errors';

/**
 * Electron's contextBridge copies a thrown Error's message but drops its own properties, so a
 * KeywayError thrown in the preload reaches the page without its `code`. Across the bridge a
 * failure therefore travels as plain data (which the bridge copies whole) and the page side
 * rebuilds the KeywayError.
 */
export interface BridgedError {
  keywayError: ErrorBody;
}

/** Preload side: what to reject with so the page can rebuild the error. */
export function toBridged(err: unknown): unknown {
  if (err instanceof KeywayError) return { keywayError: err.toBody() } satisfies BridgedError;
  return err;
}

/** Page side: a bridged failure becomes a KeywayError again; anything else is left as is. */
export function fromBridged(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'keywayError' in value) {
    const body = value.keywayError;
    if (isErrorBody(body)) return KeywayError.fromBody(body);
  }
  return value;
}

/** Wraps every async method of `api` so its rejections go through `map`. */
export function mapRejections<T extends object>(api: T, map: (err: unknown) => unknown): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(api)) {
    out[name] =
      typeof fn === 'function' && !name.startsWith('on')
        ? (...args: unknown[]) =>
            (fn as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
              throw map(err);
            })
        : fn;
  }
  return out as T;
}
