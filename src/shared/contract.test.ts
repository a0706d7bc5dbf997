import { describe, expect, it } from 'vitest';
import { KeywayError } from './errors';
import { OP_NAMES, operations } from './contract';
import { validateInput } from './validate';

describe('the contract', () => {
  it('validates inputs and names the field at fault without quoting secrets', () => {
    const err = (() => {
      try {
        validateInput('key.add', { ref: 'a/b', secret: '' });
      } catch (e) {
        return e as KeywayError;
      }
      throw new Error('expected a validation error');
    })();
    expect(err).toBeInstanceOf(KeywayError);
    expect(err.code).toBe('bad_input');
    expect(err.field).toBe('secret');
    expect(err.message).toBe('key.add: field "secret": must not be empty');
  });

  it('rejects unknown fields by name, and fills defaults', () => {
    expect(() => validateInput('account.add', { name: 'a', vendor: 'qyvo', extra: 1 })).toThrow(
      /unknown field\(s\): extra/,
    );
    expect(validateInput('account.add', { name: 'a', vendor: 'qyvo' })).toMatchObject({
      serviceAccount: false,
      credentialScopes: null,
    });
    expect(() => validateInput('connection.add', { slug: 'UPPER', key: 'a/b' })).toThrow(
      /field "slug"/,
    );
    expect(() => validateInput('key.add', { ref: 'nope', secret: 'x' })).toThrow(/ACCOUNT\/KEY/);
  });

  it('declares a summary and an input schema for every operation', () => {
    expect(OP_NAMES.length).toBeGreaterThan(10);
    for (const name of OP_NAMES) {
      expect(operations[name].summary.length, name).toBeGreaterThan(5);
      expect(typeof operations[name].input.safeParse, name).toBe('function');
    }
  });

  it('never echoes a secret value in a validation message', () => {
    const secret = 'spv_' + 'x'.repeat(5000);
    try {
      validateInput('key.add', { ref: 'a/b', secret });
    } catch (e) {
      expect((e as Error).message).not.toContain('xxxx');
      return;
    }
    throw new Error('expected a validation error');
  });
});
