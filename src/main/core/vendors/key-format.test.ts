import { describe, expect, it } from 'vitest';
import { vendorAdapter } from './index';
import type { FormatCheck } from './vendor-adapter';

const hex = (n: number) => 'a1b2c3d4e5f6'.repeat(Math.ceil(n / 12)).slice(0, n);

function reason(check: FormatCheck): string {
  if (check.ok) throw new Error('expected a rejection');
  return check.reason;
}

function warnings(check: FormatCheck): string[] {
  if (!check.ok) throw new Error(`expected acceptance, got: ${check.reason}`);
  return check.warnings;
}

describe('Qyvo key format: typically 60+ hex characters, warned otherwise (Qyvo judges)', () => {
  const qyvo = vendorAdapter('qyvo');
  it('accepts 60 and 80 hex characters, either case', () => {
    expect(warnings(qyvo.checkFormat(hex(60)))).toEqual([]);
    expect(warnings(qyvo.checkFormat(hex(80).toUpperCase()))).toEqual([]);
  });
  it('warns on a short token, saying how long it is, and lets Qyvo judge', () => {
    expect(qyvo.checkFormat(hex(40)).ok).toBe(true);
    expect(warnings(qyvo.checkFormat(hex(40))).join()).toMatch(
      /60 or more hex characters; this one has 40/,
    );
  });
  it('warns on non-hex characters and on a JWT-shaped token (Laravel Passport), without refusing', () => {
    expect(qyvo.checkFormat(`${hex(60)}z`).ok).toBe(true);
    expect(warnings(qyvo.checkFormat(`${hex(60)}z`)).join()).toMatch(/hexadecimal/);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(qyvo.checkFormat(jwt).ok).toBe(true);
    expect(warnings(qyvo.checkFormat(jwt)).join()).toMatch(/JWT/);
  });
  it('rejects a pasted "Bearer " prefix and surrounding whitespace', () => {
    expect(reason(qyvo.checkFormat(`Bearer ${hex(64)}`))).toMatch(/without the "Bearer " prefix/);
    expect(reason(qyvo.checkFormat(`${hex(64)}\n`))).toMatch(/whitespace/);
    expect(reason(qyvo.checkFormat(''))).toMatch(/empty/);
  });
});

describe('Qwoty key format: qwt_prod_, typically 64–128; qwoty_ warned, not rejected', () => {
  const qwoty = vendorAdapter('qwoty');
  it('accepts qwt_prod_ tokens of 64 to 128 characters without warnings', () => {
    expect(warnings(qwoty.checkFormat(`qwt_prod_${hex(55)}`))).toEqual([]);
    expect(warnings(qwoty.checkFormat(`qwt_prod_${hex(119)}`))).toEqual([]);
  });
  it('warns, without rejecting, on the qwoty_ prefix of the documentation examples', () => {
    const w = warnings(qwoty.checkFormat(`qwoty_${hex(64)}`));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/qwoty_.*documented format is qwt_prod_/);
  });
  it('warns when the length is outside the typical 64–128', () => {
    expect(warnings(qwoty.checkFormat(`qwt_prod_${hex(20)}`))[0]).toMatch(/64–128.*has 29/);
    expect(warnings(qwoty.checkFormat(`qwt_prod_${hex(140)}`))[0]).toMatch(/has 149/);
  });
  it('rejects any other prefix', () => {
    expect(reason(qwoty.checkFormat(`qwt_test_${hex(64)}`))).toMatch(/start with qwt_prod_/);
    expect(reason(qwoty.checkFormat(hex(80)))).toMatch(/start with qwt_prod_/);
  });
});

describe('Specivo key format: always spv_', () => {
  const specivo = vendorAdapter('specivo');
  it('accepts spv_ keys', () => {
    expect(warnings(specivo.checkFormat('spv_Ab3_x-9QzLm'))).toEqual([]);
  });
  it('rejects other prefixes and the bare prefix', () => {
    expect(reason(specivo.checkFormat('spk_abcdef'))).toMatch(/always start with spv_/);
    expect(reason(specivo.checkFormat('SPV_abcdef'))).toMatch(/always start with spv_/);
    expect(reason(specivo.checkFormat('spv_'))).toMatch(/only its prefix/);
  });
});

describe('Quave and custom keys are opaque', () => {
  it('Quave accepts any token but a pasted "Bearer " (Quave takes the raw token)', () => {
    const quave = vendorAdapter('quave');
    expect(warnings(quave.checkFormat('Zq9-opaque_token'))).toEqual([]);
    expect(reason(quave.checkFormat('Bearer Zq9-opaque_token'))).toMatch(/Bearer/);
  });
  it('custom rejects what a header cannot carry and warns on a leading Bearer', () => {
    const custom = vendorAdapter('custom');
    expect(warnings(custom.checkFormat('anything-goes.123'))).toEqual([]);
    expect(reason(custom.checkFormat('two words'))).toMatch(/spaces or control characters/);
    expect(reason(custom.checkFormat(''))).toMatch(/empty/);
    expect(warnings(custom.checkFormat('Bearerxyz'))[0]).toMatch(/set it on the account/);
  });
});
