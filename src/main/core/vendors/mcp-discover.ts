import { isModernError, META, MODERN_FIRST, supportedVersionsOf } from '../../../shared/mcp/era';
import type { RpcMessage } from '../../../shared/mcp/messages';
import { parseRpc } from '../../../shared/mcp/messages';
import { SseParser } from '../../../shared/mcp/sse';

export interface McpProbeResult {
  serverName: string;
  serverVersion: string;
  protocolVersion: string | null;
}

/** What a `server/discover` attempt found: a modern answer, or "not modern: fall back". */
export type DiscoverOutcome =
  | { kind: 'modern'; result: McpProbeResult }
  | { kind: 'legacy' }
  /** The server refused the request at the HTTP level (401/403…): the caller reports it. */
  | { kind: 'refused'; status: number; body: string }
  /** A modern server that speaks none of the versions Keyway does. */
  | { kind: 'unsupported'; supported: string[] };

/**
 * The 2026-07-28 key check: `server/discover` with the modern headers, read as the spec's
 * backward-compatibility section says (streamable-http, "Backward Compatibility"): a result or a
 * recognised modern error means a modern server; a 400/404/405 (or a JSON-RPC error) without one
 * means a legacy server, and the caller falls back to `initialize`.
 */
export async function discover(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<DiscoverOutcome> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 'keyway-discover',
    method: 'server/discover',
    params: {
      _meta: {
        [META.protocolVersion]: MODERN_FIRST,
        [META.clientInfo]: { name: 'keyway-probe', version: '1.0.0' },
        [META.clientCapabilities]: {},
      },
    },
  });
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'mcp-protocol-version': MODERN_FIRST,
      'mcp-method': 'server/discover',
    },
    body,
    signal,
    redirect: 'manual',
  });
  const text = await res.text();
  if (res.status === 401 || res.status === 403)
    return { kind: 'refused', status: res.status, body: text };
  const answer = answerOf(text, res.headers.get('content-type'));
  if (answer?.error !== undefined) {
    if (!isModernError(answer.error)) return { kind: 'legacy' };
    const supported = supportedVersionsOf(answer.error);
    return { kind: 'unsupported', supported };
  }
  const result = answer?.result as DiscoverResult | undefined;
  if (res.ok && result && Array.isArray(result.supportedVersions)) {
    const info = result._meta?.[META.serverInfo] as
      { name?: unknown; version?: unknown } | undefined;
    if (!result.supportedVersions.includes(MODERN_FIRST))
      return { kind: 'unsupported', supported: result.supportedVersions.map(String) };
    return {
      kind: 'modern',
      result: {
        serverName: typeof info?.name === 'string' ? info.name : 'unknown',
        serverVersion: typeof info?.version === 'string' ? info.version : 'unknown',
        protocolVersion: MODERN_FIRST,
      },
    };
  }
  if (res.ok || [400, 404, 405].includes(res.status)) return { kind: 'legacy' };
  return { kind: 'refused', status: res.status, body: text };
}

interface DiscoverResult {
  supportedVersions: unknown[];
  _meta?: Record<string, unknown>;
}

/** The JSON-RPC answer in a JSON or SSE body (the first message that is a response). */
function answerOf(text: string, contentType: string | null): RpcMessage | undefined {
  const candidates: string[] = [];
  if (contentType?.includes('text/event-stream')) {
    new SseParser((e) => candidates.push(e.data)).feed(new TextEncoder().encode(text + '\n\n'));
  } else candidates.push(text);
  for (const data of candidates) {
    const m = parseRpc(data);
    if (m && !Array.isArray(m) && m.method === undefined) return m;
  }
  return undefined;
}
