/** The little of JSON-RPC the proxy needs: ids, methods, and its own error messages. */

export type RpcId = string | number;

/** A JSON-RPC message as far as the proxy needs to look into one. */
export interface RpcMessage {
  jsonrpc?: string;
  method?: string;
  id?: RpcId | null;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

/** JSON-RPC codes the proxy uses for its own refusals (the SDK uses -32001 for unknown sessions). */
export const PROXY_ERROR = -32000;
export const SESSION_NOT_FOUND = -32001;
export const PARSE_ERROR = -32700;

/**
 * The one builder of the JSON-RPC errors Keyway itself answers with. Never put a secret in
 * `message`: it reaches the client and, through it, possibly a log.
 */
export function rpcErrorJson(id: RpcId | null, message: string, code = PROXY_ERROR): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } });
}

const INTERESTING =
  /"(initialize|notifications\/initialized|logging\/setLevel|resources\/(un)?subscribe)"/;

/** Parses a small body only when it may matter to replay (or always, when `force`). */
export function parseMessages(body: Buffer, force = false): RpcMessage[] | undefined {
  const text = body.toString('utf8');
  if (!force && !INTERESTING.test(text)) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter((m): m is RpcMessage => typeof m === 'object' && m !== null);
  } catch {
    return undefined;
  }
}

/** The ids of the requests (not notifications or responses) among `messages`. */
export function requestIds(messages: RpcMessage[] | undefined): RpcId[] {
  const ids: RpcId[] = [];
  for (const m of messages ?? []) {
    if (m.method !== undefined && m.id !== undefined && m.id !== null) ids.push(m.id);
  }
  return ids;
}

export function isInitialize(messages: RpcMessage[] | undefined): boolean {
  return messages?.some((m) => m.method === 'initialize' && m.id !== undefined) ?? false;
}
