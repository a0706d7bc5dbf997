import { describe, expect, it } from 'vitest';
import { SESSION_DURATION, validateKeyFields, withRead } from './quave-validation';

describe('Quave MCP key validation (shared by the API and the dashboard)', () => {
  it('fills the documented defaults on create and always adds quave:read', () => {
    expect(validateKeyFields({ name: ' automation-read ' }, true)).toEqual({
      name: 'automation-read',
      enabledScopes: ['quave:read'],
      securityLevel: 'balanced',
      sessionDuration: SESSION_DURATION.default,
    });
    expect(withRead(['quave:write:config', 'quave:read'])).toEqual([
      'quave:read',
      'quave:write:config',
    ]);
  });
  it('checks only the fields present on update', () => {
    expect(validateKeyFields({ sessionDuration: 900 }, false)).toEqual({ sessionDuration: 900 });
  });
  it.each([
    [{ name: '' }, /name is required/],
    [{ name: 'a\u0007b' }, /control characters/],
    [{ name: 'ok', enabledScopes: 'quave:read' }, /array of scope names/],
    [{ name: 'ok', enabledScopes: ['quave:root'] }, /Unknown scope quave:root/],
    [{ name: 'ok', securityLevel: 'high' }, /one of relaxed, balanced, strict/],
    [{ name: 'ok', sessionDuration: 1800.5 }, /whole number of seconds from 300 to 86400/],
    [{ name: 'ok', sessionDuration: 299 }, /from 300/],
  ])('rejects %j', (input, why) => {
    expect(() => validateKeyFields(input, true)).toThrow(why);
  });
  it('accepts the bounds themselves', () => {
    expect(validateKeyFields({ sessionDuration: 300 }, false).sessionDuration).toBe(300);
    expect(validateKeyFields({ sessionDuration: 86_400 }, false).sessionDuration).toBe(86_400);
  });
});
