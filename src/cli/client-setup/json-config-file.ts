import {
  applyEdits,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import type { JsonValue } from '../../shared/client-config';
import { canonical } from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { malformedConfig, positionOf } from './config-file-error';
import { insertProperty, removeProperty } from './json-text-edit';

/**
 * Edits a JSON (or JSONC) client config as text: only the one entry changes, and every other
 * byte — other servers, comments, indentation, key order — stays as the user left it.
 */
export interface JsonConfig {
  file: string;
  text: string;
  root: Node | undefined;
}

export function parseJsonConfig(
  file: string,
  text: string,
  syntax: { comments: boolean; trailingCommas: boolean },
): JsonConfig {
  if (text.trim() === '') return { file, text, root: undefined };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: !syntax.comments,
    allowTrailingComma: syntax.trailingCommas,
  });
  const first = errors[0];
  if (first) {
    const at = positionOf(text, first.offset);
    throw malformedConfig(
      file,
      at.line,
      at.column,
      `not valid JSON (${printParseErrorCode(first.error)})`,
    );
  }
  if (root?.type !== 'object') throw malformedConfig(file, 1, 1, 'the file is not a JSON object');
  return { file, text, root };
}

export function readJsonEntry(config: JsonConfig, path: string[]): unknown {
  if (!config.root) return undefined;
  const container = findNodeAtLocation(config.root, path.slice(0, -1));
  if (container && container.type !== 'object') {
    const at = positionOf(config.text, container.offset);
    throw malformedConfig(config.file, at.line, at.column, `"${path[0]}" is not an object`);
  }
  const node = findNodeAtLocation(config.root, path);
  return node ? (getNodeValue(node) as unknown) : undefined;
}

/** The text with the entry set (value) or removed (undefined); checked to change nothing else. */
export function editJsonEntry(
  config: JsonConfig,
  path: string[],
  value: JsonValue | undefined,
): string {
  const base = config.text.trim() === '' ? '{}\n' : config.text;
  const root = config.root ?? parseTree(base)!;
  const formatting = formattingOf(base);
  const existing = findNodeAtLocation(root, path);
  let next: string;
  if (value === undefined) next = removeProperty(base, root, path);
  else if (existing)
    // Replacing a value: `modify` edits only the value's own range.
    next = applyEdits(base, modify(base, path, value, { formattingOptions: formatting }));
  else
    next = insertProperty(base, root, path, value, {
      eol: formatting.eol ?? '\n',
      unit: formatting.insertSpaces ? ' '.repeat(formatting.tabSize ?? 2) : '\t',
    });
  assertOnlyEntryChanged(config, next, path, value);
  return next;
}

/** Indentation and line ends as the file already has them. */
function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

function assertOnlyEntryChanged(
  config: JsonConfig,
  next: string,
  path: string[],
  value: JsonValue | undefined,
): void {
  const after = parseTree(next, [], { disallowComments: false, allowTrailingComma: true });
  const before = config.root ? (getNodeValue(config.root) as Record<string, unknown>) : {};
  const now = after ? (getNodeValue(after) as Record<string, unknown>) : {};
  const got = after ? findNodeAtLocation(after, path) : undefined;
  const entryOk =
    value === undefined
      ? got === undefined
      : got !== undefined && canonical(getNodeValue(got)) === canonical(value);
  if (!entryOk || canonical(without(before, path)) !== canonical(without(now, path))) {
    throw new KeywayError(
      'internal',
      `editing ${config.file} would have changed more than Keyway's entry; the file was left untouched`,
    );
  }
}

/** A copy without the entry (and without its container if that leaves it empty). */
function without(doc: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [containerKey, name] = path as [string, string];
  const container = doc[containerKey];
  if (typeof container !== 'object' || container === null) return doc;
  const rest = { ...(container as Record<string, unknown>) };
  delete rest[name];
  const copy = { ...doc, [containerKey]: rest };
  if (Object.keys(rest).length === 0) delete copy[containerKey];
  return copy;
}
