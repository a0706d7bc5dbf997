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
  const field = NAMED[m.method];
  const name = field ? m.params?.[field] : undefined;
  if (typeof name === 'string') headers['mcp-name'] = headerValue(name);
  return headers;
}

/**
 * A value as an HTTP header may carry it: as it is when it is plain visible ASCII, else in the
 * spec's Base64 sentinel `=?base64?…?=` (also for a plain value that looks like the sentinel).
 */
export function headerValue(value: string): string {
  const plain =
    /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) &&
    !(value.startsWith('=?base64?') && value.endsWith('?='));
  if (plain) return value;
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `=?base64?${btoa(binary)}?=`;
}
