import { declaredVersion } from './era';
import type { RpcMessage } from './messages';

/** Methods whose `Mcp-Name` header names their target (2026-07-28, streamable-http). */
const NAMED: Record<string, 'name' | 'uri'> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/**
 * The HTTP headers a 2026-07-28 request must carry (streamable-http, "Standard Request Headers"):
 * `MCP-Protocol-Version` (equal to its `_meta` version), `Mcp-Method`, and `Mcp-Name` where the
 * method names a target. Empty for a legacy message, which carries none of them.
 */
export function modernHeaders(m: RpcMessage): Record<string, string> {
  const version = declaredVersion(m);
  if (version === undefined || typeof m.method !== 'string') return {};
  const headers: Record<string, string> = {
    'mcp-protocol-version': version,
    'mcp-method': m.method,
  };
  const name = mcpName(m);
  if (name !== undefined) headers['mcp-name'] = name;
  return headers;
}

/** The `Mcp-Name` value of a request that names its target (a tool, prompt or resource), encoded. */
export function mcpName(m: RpcMessage): string | undefined {
  const field = typeof m.method === 'string' ? NAMED[m.method] : undefined;
  const name = field ? m.params?.[field] : undefined;
  return typeof name === 'string' ? headerValue(name) : undefined;
}

const SENTINEL = /^=\?base64\?.*\?=$/s;

/**
 * A header value as the spec's Value Encoding says: plain when it is visible ASCII with inner
 * spaces or tabs (RFC 9110 §5.5), else (non-ASCII, control characters, outer whitespace, empty,
 * or a value that looks like the sentinel itself) `=?base64?…?=` of its UTF-8 bytes.
 */
export function headerValue(value: string): string {
  const plain = /^[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?$/.test(value) && !SENTINEL.test(value);
  if (plain) return value;
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `=?base64?${btoa(binary)}?=`;
}
