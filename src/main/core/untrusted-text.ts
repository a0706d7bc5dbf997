/**
 * Text a remote server chose (an OAuth `error_description`, an ID token's subject, a scope list,
 * an error page) goes through here before it reaches a terminal, a page, a log, the store or an
 * audit line: bounded, stripped of control characters and terminal escapes, and with anything
 * that looks like a credential replaced by `[redacted]`. A server that echoes the request in its
 * error page must not get a refresh token into audit.jsonl; one that sends `ESC ]0;…` must not
 * retitle the user's terminal.
 */

/** No server text longer than this is ever kept, whatever the caller's own limit. */
export const UNTRUSTED_TEXT_MAX = 64 * 1024;
/** The default for one-line errors and audit details. */
export const ONE_LINE_MAX = 300;

const REDACTED = '[redacted]';
// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and any other two-byte ESC sequence.
// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// C0 and C1 controls (including newlines: one line), DEL, and bidi overrides that reorder text.
// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]+/g;
// `name=value`, `"name": "value"`: parameters that carry credentials in OAuth requests/answers.
const CREDENTIAL_PARAMS =
  /\b(refresh_token|access_token|id_token|client_secret|code_verifier|client_assertion|assertion|password)(\s*["']?\s*[=:]\s*["']?)([^\s&"',;<>]+)/gi;
// `code=…` and `token=…` only in query/form syntax (a bare "code: 400" is not a credential).
const FORM_PARAMS = /\b(code|token|subject_token|device_code)(=)([^\s&"',;<>]+)/gi;
const AUTH_SCHEMES = /\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi;
// Keyway's own local tokens (kw…_<base64url>) and any long opaque run that looks like a token.
const LOCAL_TOKENS = /\bkw[a-z]*_[A-Za-z0-9_-]{16,}/g;
const OPAQUE_RUNS = /[A-Za-z0-9_-]{40,}(?:\.[A-Za-z0-9_-]+)*/g;

/**
 * `text` made safe to show or store: at most `maxChars` characters (with `…` when cut), one
 * line, no escapes, credentials redacted. `secrets` are values Keyway holds that must never
 * appear (a refresh token, a client secret): removed verbatim and URL-encoded.
 */
export function untrustedText(
  text: unknown,
  maxChars = ONE_LINE_MAX,
  secrets: Iterable<string | undefined> = [],
): string {
  const limit = Math.min(maxChars, UNTRUSTED_TEXT_MAX);
  // Cut first (with room for what redaction shortens), so the regexes never see megabytes.
  let s = (typeof text === 'string' ? text : String(text)).slice(0, limit * 4 + 256);
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      s = s.split(form).join(REDACTED);
  }
  s = s
    .replace(ESCAPES, ' ')
    .replace(CONTROLS, ' ')
    .replace(CREDENTIAL_PARAMS, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(FORM_PARAMS, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(AUTH_SCHEMES, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(LOCAL_TOKENS, REDACTED)
    .replace(OPAQUE_RUNS, REDACTED)
    .replace(/ {2,}/g, ' ')
    .trim();
  return s.length > limit ? `${s.slice(0, Math.max(0, limit - 1))}…` : s;
}

/** Whether `text` holds a control character or a text-reordering mark. */
export function hasControlCharacters(text: string): boolean {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(text);
  CONTROLS.lastIndex = 0;
  return found;
}

/** The message of an error from a remote party, made safe (see `untrustedText`). */
export function untrustedError(
  err: unknown,
  maxChars = ONE_LINE_MAX,
  secrets: Iterable<string | undefined> = [],
): string {
  const raw =
    err instanceof Error
      ? err.message || ((err as { errorCode?: string }).errorCode ?? err.name)
      : String(err);
  return untrustedText(raw || 'unknown error', maxChars, secrets);
}
