import { KeywayError } from '../../shared/errors';

/**
 * The message to show for a failed operation. Keyway's messages already speak in the vendor's
 * terms (e.g. "the user behind this token has no workspace"); we only shorten the operation
 * prefix validation errors carry ("key.add: field "ref": …" → "ref: …"). Errors crossing
 * Electron's contextBridge keep their message but not their class, so both are handled.
 */
export function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  if (!message) return 'Something went wrong; see the Keyway log';
  return message.replace(/^[a-z]+\.[A-Za-z]+: field "([^"]+)": /, '$1: ');
}

export function isUnsupported(err: unknown): boolean {
  return err instanceof KeywayError && err.code === 'unsupported';
}
