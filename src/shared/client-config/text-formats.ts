import type { JsonObject, JsonValue } from './types';

/** `[mcp_servers.NAME]` with its keys; nested objects become inline tables. */
export function codexTable(serverName: string, entry: JsonObject): string {
  const lines = [`[mcp_servers.${tomlKey(serverName)}]`];
  for (const [k, v] of Object.entries(entry)) lines.push(`${tomlKey(k)} = ${tomlValue(v)}`);
  return lines.join('\n') + '\n';
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function tomlString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

function tomlValue(v: JsonValue): string {
  if (typeof v === 'string') return tomlString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '""';
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  const pairs = Object.entries(v).map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`);
  return `{ ${pairs.join(', ')} }`;
}

/**
 * A small block-style YAML writer for the snippets the UI shows (the CLI edits files with the
 * `yaml` package's Document API; the renderer should not bundle it). Strings that could read as
 * anything else are written as JSON strings, which YAML reads as double-quoted scalars.
 */
export function yamlDocument(value: JsonObject): string {
  return yamlLines(value, 0).join('\n') + '\n';
}

function yamlLines(value: JsonValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      const inner = yamlLines(item, indent + 2);
      const first = inner[0]?.slice(indent + 2) ?? '';
      return [`${pad}- ${first}`, ...inner.slice(1)];
    });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => {
      const key = yamlScalar(k);
      if (
        v !== null &&
        typeof v === 'object' &&
        (Array.isArray(v) ? v.length : Object.keys(v).length)
      )
        return [`${pad}${key}:`, ...yamlLines(v, Array.isArray(v) ? indent : indent + 2)];
      return [`${pad}${key}: ${yamlLines(v, 0)[0] ?? ''}`];
    });
  }
  return [`${pad}${yamlScalar(value)}`];
}

function yamlScalar(v: string | number | boolean | null): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|~)$/i.test(v)
    ? v
    : JSON.stringify(v);
}

export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shellDouble(s: string): string {
  return `"${s.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}
