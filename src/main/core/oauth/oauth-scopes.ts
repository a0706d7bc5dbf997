// Scope lists come from servers (a token answer, a 401 or 403 challenge, scopes_supported) and
// end up in the store and on screen: bounded in count and length, RFC 6749 §3.3 characters only.

/** Scopes Keyway keeps from a server's answer: at most this many, each at most this long. */
export const MAX_SCOPES = 64;
export const MAX_SCOPE_CHARS = 128;

/** A scope list a server sent (a token answer, a 403 challenge), bounded and RFC 6749 §3.3-clean. */
export function boundedScopes(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .slice(0, MAX_SCOPES * (MAX_SCOPE_CHARS + 1))
        .split(' ')
        .filter(
          (s) =>
            s.length > 0 && s.length <= MAX_SCOPE_CHARS && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s),
        ),
    ),
  ].slice(0, MAX_SCOPES);
}
