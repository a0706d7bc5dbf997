import { describe, expect, it } from 'vitest';
import { KeywayError } from '../../shared/errors';
import { validateInput } from '../../shared/validate';
import { errorMessage } from './error-message';

const refusal = (op: Parameters<typeof validateInput>[0], input: unknown): unknown => {
  try {
    validateInput(op, input);
  } catch (err) {
    return err;
  }
  throw new Error('the input was accepted');
};

describe('a refusal in the words of the form', () => {
  it('names the form label, never the operation or the contract field', () => {
    const shown = errorMessage(
      refusal('account.add', { name: 'ok', vendor: 'custom', mcpUrl: 'x' }),
    );
    expect(shown).toMatch(/^(MCP URL|API URL): /);
    expect(shown).not.toMatch(/account\.add|field "/);
  });

  it('spells out a field it has no label for', () => {
    const err = new KeywayError('bad_input', 'key.add: field "sessionDuration": too long');
    expect(errorMessage(err)).toBe('Session duration: too long');
  });

  it('keeps every other message as it is', () => {
    expect(errorMessage(new Error('the vendor refused the key (401)'))).toBe(
      'the vendor refused the key (401)',
    );
    expect(errorMessage(undefined)).toBe('Something went wrong; see the Keyway log');
  });
});
