// The lint rule that keeps failures from vanishing: what it refuses and what it lets through.
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import keyway from '../../scripts/eslint-silent-catch.js';

function problems(code: string): number[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(code, [
    {
      plugins: { keyway },
      rules: { 'keyway/silent-catch': 'error' },
      languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    },
  ]);
  return messages.map((m) => m.line);
}

describe('keyway/silent-catch', () => {
  it('refuses a swallowed failure with no word about it', () => {
    expect(problems('p.catch(() => undefined);')).toEqual([1]);
    expect(problems('p.catch(() => {});')).toEqual([1]);
    expect(problems('p.catch(() => false);')).toEqual([1]);
    expect(problems('p.catch(() => null);')).toEqual([1]);
    expect(problems('p.catch(() => []);')).toEqual([1]);
    expect(problems('const x = 1;\n// unrelated\n\nq.then(f)\n  .catch(() => undefined);')).toEqual(
      [5],
    );
  });

  it('lets through a handler that looks at the failure, or a comment that says why', () => {
    expect(problems('p.catch((err) => log.debug("gave up", err));')).toEqual([]);
    expect(problems('// the socket is already gone\np.catch(() => undefined);')).toEqual([]);
    expect(problems('p.catch(() => undefined); // the socket is already gone')).toEqual([]);
    expect(problems('p.catch(() => {\n  // the socket is already gone\n});')).toEqual([]);
    expect(
      problems(
        '// each falls back on its own\nconst [a, b] = await Promise.all([\n  x.catch(() => []),\n  y.catch(() => []),\n]);',
      ),
    ).toEqual([]);
    expect(problems('p.catch(() => ({ running: false }));')).toEqual([]);
  });
});
