/**
 * Quave's MCP key validation, shared by the REST API and the dashboard ("Name, scope, security
 * level, and session-duration validation is shared with the dashboard methods"). The document
 * names the fields, not their bounds; these are the sandbox's documented choices (README.md).
 */

const QUAVE_SCOPES = [
  'quave:read',
  'quave:read:secrets',
  'quave:write:config',
  'quave:manage:mcp-keys',
] as const;
const SECURITY_LEVELS = ['relaxed', 'balanced', 'strict'] as const;
export const SESSION_DURATION = { min: 300, max: 86_400, default: 1800 } as const;
const NAME_MAX = 64;

export class QuaveValidationError extends Error {}

interface QuaveKeyFields {
  name?: string;
  enabledScopes?: string[];
  securityLevel?: string;
  sessionDuration?: number;
}

/** Checks the fields present; `creating` also requires a name. Scopes come back with quave:read. */
export function validateKeyFields(raw: Record<string, unknown>, creating: boolean): QuaveKeyFields {
  const out: QuaveKeyFields = {};
  if (raw.name !== undefined || creating) {
    if (typeof raw.name !== 'string' || !raw.name.trim()) {
      throw new QuaveValidationError('name is required');
    }
    const name = raw.name.trim();
    if (name.length > NAME_MAX) {
      throw new QuaveValidationError(`name must be at most ${NAME_MAX} characters`);
    }
    if (/\p{Cc}/u.test(name))
      throw new QuaveValidationError('name must not contain control characters');
    out.name = name;
  }
  if (raw.enabledScopes !== undefined) {
    const scopes = raw.enabledScopes;
    if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string')) {
      throw new QuaveValidationError('enabledScopes must be an array of scope names');
    }
    const unknown = (scopes as string[]).filter(
      (s) => !(QUAVE_SCOPES as readonly string[]).includes(s),
    );
    if (unknown.length > 0) {
      throw new QuaveValidationError(
        `Unknown scope ${unknown.join(', ')}; valid scopes are ${QUAVE_SCOPES.join(', ')}`,
      );
    }
    out.enabledScopes = withRead(scopes as string[]);
  } else if (creating) out.enabledScopes = withRead([]);
  if (raw.securityLevel !== undefined) {
    if (!(SECURITY_LEVELS as readonly unknown[]).includes(raw.securityLevel)) {
      throw new QuaveValidationError(`securityLevel must be one of ${SECURITY_LEVELS.join(', ')}`);
    }
    out.securityLevel = raw.securityLevel as string;
  } else if (creating) out.securityLevel = 'balanced';
  if (raw.sessionDuration !== undefined) {
    const d = raw.sessionDuration;
    if (
      !Number.isInteger(d) ||
      (d as number) < SESSION_DURATION.min ||
      (d as number) > SESSION_DURATION.max
    ) {
      throw new QuaveValidationError(
        `sessionDuration must be a whole number of seconds from ${SESSION_DURATION.min} to ${SESSION_DURATION.max}`,
      );
    }
    out.sessionDuration = d as number;
  } else if (creating) out.sessionDuration = SESSION_DURATION.default;
  return out;
}

/** quave:read is always added to stored MCP key scopes, first, without duplicates. */
export function withRead(scopes: string[]): string[] {
  return [...new Set(['quave:read', ...scopes])];
}
