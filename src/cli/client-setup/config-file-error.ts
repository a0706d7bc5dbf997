import { KeywayError } from '../../shared/errors';

/**
 * A client config file Keyway will not touch: it names the file and the position, and says the
 * file was left as it was — the user's own file is never "repaired" behind their back.
 */
export function malformedConfig(
  file: string,
  line: number,
  column: number,
  what: string,
): KeywayError {
  return new KeywayError(
    'bad_input',
    `${file}:${line}:${column}: ${what}; Keyway left the file untouched — fix it (or pass --config PATH) and run again`,
  );
}

/** 1-based line and column of an offset in a text. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
