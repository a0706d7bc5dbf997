import { META, MODERN_FIRST } from '../../../../shared/mcp/era';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { headerValue, mcpName } from '../../../../shared/mcp/modern-headers';

/**
 * What a 2025 client said once, at `initialize`, and a 2026-07-28 server wants on every request
 * (basic/index, `_meta`): the era bridge keeps it per session and puts it on each request.
 */
export interface ClientFacts {
  clientInfo: unknown;
  clientCapabilities: Record<string, unknown>;
  /** From `logging/setLevel`; a modern server logs only for requests that carry a level. */
  logLevel: string | undefined;
}

/**
 * The client's request as a modern one: the same method, id and params, with the session's facts
 * in `params._meta` (the client's own `_meta`, e.g. its progress token, is kept) and `extra`
 * params added (a retry's `inputResponses` and `requestState`).
 */
export function withEnvelope(
  m: RpcMessage,
  facts: ClientFacts,
  extra?: Record<string, unknown>,
): RpcMessage {
  const params: Record<string, unknown> = { ...(m.params ?? {}), ...extra };
  const own = params._meta;
  const meta: Record<string, unknown> = {
    ...(typeof own === 'object' && own !== null ? own : {}),
    [META.protocolVersion]: MODERN_FIRST,
    [META.clientInfo]: facts.clientInfo,
    [META.clientCapabilities]: facts.clientCapabilities,
  };
  if (facts.logLevel !== undefined) meta[META.logLevel] = facts.logLevel;
  params._meta = meta;
  return { jsonrpc: '2.0', id: m.id, method: m.method, params };
}

/**
 * The standard request headers a modern server requires and checks against the body
 * (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`), plus `Mcp-Param-*` for the tool arguments
 * its schema marks with `x-mcp-header`.
 */
export function modernHeaders(
  m: RpcMessage,
  inputSchema?: unknown,
): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {
    'mcp-protocol-version': MODERN_FIRST,
    'mcp-method': m.method,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    // A modern request never belongs to a session, whatever the client sent.
    'mcp-session-id': undefined,
    'last-event-id': undefined,
  };
  const name = mcpName(m);
  if (name !== undefined) headers['mcp-name'] = name;
  if (m.method === 'tools/call' && inputSchema !== undefined) {
    const args = m.params?.arguments;
    for (const [header, value] of paramHeaders(inputSchema, args)) headers[header] = value;
  }
  return headers;
}

/** `Mcp-Param-{Name}` headers for the arguments whose schema property carries `x-mcp-header`. */
export function paramHeaders(schema: unknown, args: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (s: unknown, value: unknown, depth: number): void => {
    if (depth > 8 || typeof s !== 'object' || s === null) return;
    const props = (s as { properties?: unknown }).properties;
    if (typeof props !== 'object' || props === null) return;
    const obj =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    for (const [key, prop] of Object.entries(props as Record<string, unknown>)) {
      const v = obj[key];
      const header = (prop as { 'x-mcp-header'?: unknown } | null)?.['x-mcp-header'];
      if (typeof header === 'string' && v !== undefined && v !== null) {
        const text =
          typeof v === 'string'
            ? v
            : typeof v === 'number' || typeof v === 'boolean'
              ? String(v)
              : undefined;
        if (text !== undefined) out.push([`mcp-param-${header.toLowerCase()}`, headerValue(text)]);
      }
      walk(prop, v, depth + 1);
    }
  };
  walk(schema, args, 0);
  return out;
}
