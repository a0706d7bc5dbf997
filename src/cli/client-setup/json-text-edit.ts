import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { JsonValue } from '../../shared/client-config';

/**
 * Inserting and removing one property as a text edit. jsonc-parser's `modify` re-formats the
 * neighbouring property when it inserts or removes one (a one-line entry became several lines)
 * and leaves a trailing `// comment` where the comma moved, so a comment about one server ended
 * up after another. These edits touch only the property itself, its comma, and the comments on
 * its own lines.
 */
export interface TextStyle {
  eol: string;
  unit: string;
}

export function insertProperty(
  text: string,
  root: Node,
  path: string[],
  value: JsonValue,
  style: TextStyle,
): string {
  // The deepest object on the path that exists; the rest is created as nested objects.
  let depth = path.length - 1;
  let obj: Node | undefined;
  while (depth >= 0) {
    obj = depth === 0 ? root : findNodeAtLocation(root, path.slice(0, depth));
    if (obj?.type === 'object') break;
    depth--;
  }
  if (!obj) return text;
  let nested: JsonValue = value;
  for (let i = path.length - 1; i > depth; i--) nested = { [path[i]!]: nested };
  return insertInto(text, obj, path[depth]!, nested, style);
}

function insertInto(text: string, obj: Node, key: string, value: JsonValue, s: TextStyle): string {
  const objIndent = lineIndent(text, obj.offset);
  const children = obj.children ?? [];
  const last = children.at(-1);
  const close = obj.offset + obj.length - 1;
  const childIndent = last ? lineIndent(text, last.offset) : objIndent + s.unit;
  const rendered = (indent: string): string =>
    `${JSON.stringify(key)}: ${JSON.stringify(value, null, s.unit).replace(/\n/g, s.eol + indent)}`;
  if (!last) {
    const inner = text.slice(obj.offset + 1, close);
    const body = `${s.eol}${childIndent}${rendered(childIndent)}`;
    return inner.trim() === ''
      ? `${text.slice(0, obj.offset + 1)}${body}${s.eol}${objIndent}${text.slice(close)}`
      : `${text.slice(0, obj.offset + 1)}${body},${text.slice(obj.offset + 1)}`;
  }
  const lastEnd = last.offset + last.length;
  const after = skipSpaces(text, lastEnd);
  const hasComma = text[after] === ',';
  const lineEnd = endOfLine(text, lastEnd);
  if (close < lineEnd) {
    // The object closes on the same line: keep it on one line.
    const at = hasComma ? after + 1 : lastEnd;
    return `${text.slice(0, at)}${hasComma ? ' ' : ', '}${JSON.stringify(key)}: ${JSON.stringify(value)}${text.slice(at)}`;
  }
  // A file that ends its entries with a trailing comma (JSONC) gets one after the new entry too.
  const prop = `${s.eol}${childIndent}${rendered(childIndent)}${hasComma ? ',' : ''}`;
  const withProp = text.slice(0, lineEnd) + prop + text.slice(lineEnd);
  return hasComma ? withProp : withProp.slice(0, lastEnd) + ',' + withProp.slice(lastEnd);
}

/** Removes the property at `path` with its comma and the comments on its own lines. */
export function removeProperty(text: string, root: Node, path: string[]): string {
  const valueNode = findNodeAtLocation(root, path);
  const prop = valueNode?.parent;
  const obj = prop?.parent;
  if (!prop || prop.type !== 'property' || !obj) return text;
  const siblings = obj.children ?? [];
  const index = siblings.indexOf(prop);
  const lineStart = startOfLine(text, prop.offset);
  const ownLine = text.slice(lineStart, prop.offset).trim() === '';
  let start = ownLine ? lineStart : prop.offset;
  // Comment lines right above the entry belong to it.
  while (ownLine && start > 0) {
    const prevStart = startOfLine(text, start - 1);
    const line = text.slice(prevStart, start).trim();
    if (!(line.startsWith('//') || (line.startsWith('/*') && line.endsWith('*/')))) break;
    start = prevStart;
  }
  let end = prop.offset + prop.length;
  let i = skipSpaces(text, end);
  const hasComma = text[i] === ',';
  if (hasComma) end = i + 1;
  i = skipSpaces(text, end);
  if (text.startsWith('//', i)) end = endOfLine(text, i);
  else if (text.startsWith('/*', i) && text.indexOf('*/', i) < endOfLine(text, i))
    end = text.indexOf('*/', i) + 2;
  if (ownLine && text.slice(end, endOfLine(text, end)).trim() === '')
    end = Math.min(
      text.length,
      endOfLine(text, end) + (text[endOfLine(text, end)] === '\r' ? 2 : 1),
    );
  let out = text.slice(0, start) + text.slice(end);
  const prev = siblings[index - 1];
  if (!hasComma && index === siblings.length - 1 && prev) {
    // It was the last one: the comma after the one before it goes too.
    const comma = skipSpaces(out, prev.offset + prev.length);
    if (out[comma] === ',') out = out.slice(0, comma) + out.slice(comma + 1);
  }
  return out;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

function endOfLine(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const end = n < 0 ? text.length : n;
  return text[end - 1] === '\r' ? end - 1 : end;
}

function startOfLine(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineIndent(text: string, at: number): string {
  const start = startOfLine(text, at);
  return /^[ \t]*/.exec(text.slice(start))![0];
}
