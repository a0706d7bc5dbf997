import { isMap, isScalar, isSeq, stringify, type Document, type Node } from 'yaml';
import type { JsonObject } from '../../shared/client-config';

/**
 * Sets or removes one server entry as a text edit on the lines that entry occupies. The `yaml`
 * Document API re-prints the whole file (flow lists re-spaced, long strings folded, a comment
 * after a key moved onto the next line), so the Document is used only to find where things
 * are. Returns undefined when the file's shape is one this edit does not handle (a flow-style
 * or empty container), and the caller falls back to the Document API.
 */
export function yamlLineEdit(
  text: string,
  doc: Document,
  path: [string, string],
  entry: JsonObject | undefined,
  list: boolean,
): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === path[0]);
  if (!pair) {
    if (!entry) return text;
    const block = stringify({ [path[0]]: list ? [entry] : { [path[1]]: entry } }, { lineWidth: 0 });
    const body = text.replace(/\s*$/, '');
    return `${body}${body ? eol : ''}${block.replace(/\n/g, eol)}`;
  }
  const container = pair.value as Node | null;
  if (!container || !container.range || (container as { flow?: boolean }).flow) return undefined;
  if (list) {
    if (!isSeq(container)) return undefined;
    const i = container.items.findIndex((n) => isMap(n) && n.get('name') === path[1]);
    const items = container.items as Node[];
    return editLines(text, eol, items, i, entry && stringify([entry], { lineWidth: 0 }));
  }
  if (!isMap(container)) return undefined;
  const i = container.items.findIndex((p) => isScalar(p.key) && p.key.value === path[1]);
  const keys = container.items.map((p) => p.key as Node);
  const ends = container.items.map((p) => (p.value as Node | null) ?? (p.key as Node));
  return editLines(
    text,
    eol,
    keys,
    i,
    entry && stringify({ [path[1]]: entry }, { lineWidth: 0 }),
    ends,
  );
}

/** Replaces, removes or appends the lines of item `i` (starts[i] … ends[i]). */
function editLines(
  text: string,
  eol: string,
  starts: Node[],
  i: number,
  block: string | undefined,
  ends: Node[] = starts,
): string | undefined {
  const first = starts[0]?.range;
  if (!first) return undefined;
  const indent = text.slice(lineStart(text, first[0]), first[0]).replace(/-\s*$/, '');
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const rendered = block
    ?.replace(/\n$/, '')
    .split('\n')
    .map((l) => indent + l)
    .join(eol);
  if (i < 0) {
    if (rendered === undefined) return text;
    const lastEnd = ends.at(-1)?.range;
    if (!lastEnd) return undefined;
    const at = lineEnd(text, lastEnd[1] - 1);
    return `${text.slice(0, at)}${eol}${rendered}${text.slice(at)}`;
  }
  const s = starts[i]?.range;
  const e = ends[i]?.range;
  if (!s || !e) return undefined;
  const from = lineStart(text, s[0]);
  const to = lineEnd(text, e[1] - 1);
  if (rendered !== undefined) return text.slice(0, from) + rendered + text.slice(to);
  const next = text[to] === '\r' ? to + 2 : to + 1;
  return text.slice(0, from) + text.slice(Math.min(next, text.length));
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const n = text.indexOf('\n', Math.max(at, 0));
  const end = n < 0 ? text.length : n;
  return text[end - 1] === '\r' ? end - 1 : end;
}
