import type { VendorId } from '../../../shared/domain';

export type VendorErrorKind =
  | 'refused'
  | 'forbidden'
  | 'not-found'
  | 'no-workspace'
  | 'escalation'
  | 'bad-request'
  | 'unavailable'
  | 'timeout'
  | 'network';

export const VENDOR_NAMES: Record<VendorId, string> = {
  qyvo: 'Qyvo',
  quave: 'Quave',
  qwoty: 'Qwoty',
  specivo: 'Specivo',
  custom: 'The custom MCP server',
};

/**
 * A failure talking to a vendor. `refused` is the only kind that means "this key is not accepted";
 * a vendor's 5xx, a timeout or a network failure never say anything about the key.
 */
export class VendorError extends Error {
  override readonly name = 'VendorError';
  readonly kind: VendorErrorKind;
  readonly status?: number;
  readonly vendor: VendorId;

  constructor(
    vendor: VendorId,
    kind: VendorErrorKind,
    message: string,
    opts: { status?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.vendor = vendor;
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
  }
}

export function isVendorError(e: unknown): e is VendorError {
  return e instanceof VendorError;
}

/**
 * Removes every occurrence of the given secrets (and anything longer than 24 characters that
 * looks like a token) from text that came from a vendor, so a body echoing the key cannot leak it.
 */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  out = out.replace(/[A-Za-z0-9_\-.]{40,}/g, '[redacted]');
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

/** The message a vendor put in its error body (`error`, `message`, `detail`), scrubbed; '' if none. */
export function bodyMessage(body: unknown, secrets: readonly string[] = []): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const field of ['error', 'message', 'detail', 'error_description']) {
      const v = b[field];
      if (typeof v === 'string' && v.trim()) return scrub(v.trim(), secrets);
      if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') {
        return scrub((v as { message: string }).message, secrets);
      }
    }
  }
  return '';
}

/**
 * The fallback for statuses a vendor's document does not list: the kind follows the status class,
 * and a 5xx or 429 is the vendor's trouble, never the key's.
 */
export function statusError(
  vendor: VendorId,
  status: number,
  what: string,
  detail = '',
): VendorError {
  const name = VENDOR_NAMES[vendor];
  const said = detail ? `: ${detail}` : '';
  if (status >= 500) {
    return new VendorError(
      vendor,
      'unavailable',
      `${name} is unavailable (${status} on ${what})${said}; the key was not judged, try again later`,
      { status },
    );
  }
  if (status === 429) {
    return new VendorError(
      vendor,
      'unavailable',
      `${name} is rate limiting requests (429 on ${what}); try again in a minute`,
      { status },
    );
  }
  if (status >= 300 && status < 400) {
    return new VendorError(
      vendor,
      'bad-request',
      `${name} answered ${what} with a redirect (${status}); Keyway never follows a redirect with a key, so check the URL (https, exact host)`,
      { status },
    );
  }
  if (status === 408) {
    return new VendorError(vendor, 'timeout', `${name} timed out (408 on ${what})`, { status });
  }
  if (status === 401) {
    return new VendorError(vendor, 'refused', `${name} refused the key (401 on ${what})${said}`, {
      status,
    });
  }
  if (status === 403) {
    return new VendorError(
      vendor,
      'forbidden',
      `${name} accepted the key but forbids ${what} (403)${said}`,
      { status },
    );
  }
  if (status === 404) {
    return new VendorError(vendor, 'not-found', `${name} found nothing at ${what} (404)${said}`, {
      status,
    });
  }
  return new VendorError(
    vendor,
    'bad-request',
    `${name} rejected ${what} (${status})${said || ': unexpected answer'}`,
    { status },
  );
}
