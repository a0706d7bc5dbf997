import { parse, TomlError } from 'smol-toml';
import { canonical, codexTable, type JsonObject } from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { malformedConfig } from './config-file-error';

/**
 * Codex's config.toml. No TOML library here keeps formatting on write, so Keyway edits only the
 * text of its own `[mcp_servers.NAME]` table (and its sub-tables): every other line stays byte
 * for byte, and the result is parsed again to prove nothing else moved.
 */
export interface TomlConfig {
  file: string;
  text: string;
  doc: Record<string, unknown>;
}

export function parseTomlConfig(file: string, text: string): TomlConfig {
  try {
    return { file, text, doc: parse(text) };
  } catch (err) {
    if (err instanceof TomlError) {
      throw malformedConfig(
        file,
        err.line,
        err.column,
        `not valid TOML (${firstLine(err.message)})`,
      );
    }
    throw err;
  }
}

export function readTomlEntry(config: TomlConfig, name: string): unknown {
  const servers = config.doc.mcp_servers;
  if (servers === undefined) return undefined;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers))
    throw new KeywayError(
      'bad_input',
      `${config.file}: mcp_servers is not a table; Keyway left the file untouched`,
    );
  return (servers as Record<string, unknown>)[name];
}

/** The text with Keyway's table set (entry) or removed (undefined). */
export function editTomlEntry(
  config: TomlConfig,
  name: string,
  entry: JsonObject | undefined,
): string {
  const lines = config.text.split('\n');
  const blocks = ownBlocks(lines, name);
  if (blocks.length === 0 && readTomlEntry(config, name) !== undefined) {
    throw new KeywayError(
      'bad_input',
      `${config.file} defines mcp_servers.${name} in a form Keyway does not edit (not a [mcp_servers.${name}] table of its own); edit it by hand or pick another --server-name`,
    );
  }
  const table = entry ? codexTable(name, entry).replace(/\n$/, '').split('\n') : [];
  let out: string[];
  if (blocks.length === 0) {
    if (!entry) return config.text;
    const body = config.text === '' ? [] : trimEnd(lines);
    out = [...body, ...(body.length ? [''] : []), ...table, ''];
  } else {
    out = [...lines];
    // Last block first, so earlier indexes stay valid.
    for (const [i, b] of [...blocks].reverse().entries()) {
      const isFirst = i === blocks.length - 1;
      const replacement = isFirst ? table : [];
      let start = b.start;
      // Removing: take the blank line that separated the table from what came before.
      if (replacement.length === 0 && start > 0 && out[start - 1]?.trim() === '') start--;
      out.splice(start, b.end - start + 1, ...replacement);
    }
  }
  const next = out.join('\n');
  assertOnlyEntryChanged(config, next, name, entry);
  return next;
}

interface Block {
  start: number;
  end: number;
}

/** Line ranges of `[mcp_servers.NAME]` and `[mcp_servers.NAME.*]`, trailing blanks excluded. */
function ownBlocks(lines: string[], name: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  const close = (): void => {
    if (!current) return;
    while (current.end > current.start && isBlankOrComment(lines[current.end] ?? '')) current.end--;
    blocks.push(current);
    current = undefined;
  };
  lines.forEach((line, i) => {
    const key = headerKey(line);
    if (key === undefined) {
      if (current) current.end = i;
      return;
    }
    const ours = key.length >= 2 && key[0] === 'mcp_servers' && key[1] === name;
    if (ours && current) current.end = i;
    else {
      close();
      if (ours) current = { start: i, end: i };
    }
  });
  close();
  return blocks;
}

function isBlankOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/** The dotted key of a `[table]` or `[[array]]` header line, or undefined for any other line. */
function headerKey(line: string): string[] | undefined {
  const m = /^\s*\[\[?(.+?)\]\]?\s*(#.*)?$/.exec(line);
  if (!m?.[1]) return undefined;
  const parts: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(\.|$)/y;
  let rest = m[1];
  while (rest.length > 0) {
    re.lastIndex = 0;
    const p = re.exec(rest);
    if (!p?.[1]) return undefined;
    const raw = p[1];
    parts.push(
      raw.startsWith('"')
        ? (JSON.parse(raw) as string)
        : raw.startsWith("'")
          ? raw.slice(1, -1)
          : raw,
    );
    rest = rest.slice(p[0].length);
  }
  return parts;
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length && out[out.length - 1]?.trim() === '') out.pop();
  return out;
}

function assertOnlyEntryChanged(
  config: TomlConfig,
  next: string,
  name: string,
  entry: JsonObject | undefined,
): void {
  let after: Record<string, unknown>;
  try {
    after = parse(next);
  } catch {
    after = { broken: true };
  }
  const got = (after.mcp_servers as Record<string, unknown> | undefined)?.[name];
  const entryOk = entry === undefined ? got === undefined : canonical(got) === canonical(entry);
  if (!entryOk || canonical(without(config.doc, name)) !== canonical(without(after, name))) {
    throw new KeywayError(
      'internal',
      `editing ${config.file} would have changed more than Keyway's [mcp_servers.${name}] table; the file was left untouched`,
    );
  }
}

function without(doc: Record<string, unknown>, name: string): Record<string, unknown> {
  const servers = doc.mcp_servers;
  if (typeof servers !== 'object' || servers === null) return doc;
  const rest = { ...(servers as Record<string, unknown>) };
  delete rest[name];
  const copy: Record<string, unknown> = { ...doc, mcp_servers: rest };
  if (Object.keys(rest).length === 0) delete copy.mcp_servers;
  return copy;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
