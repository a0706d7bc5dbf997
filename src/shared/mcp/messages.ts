/**
 * JSON-RPC as MCP uses it, the one definition for the proxy, the legacy adapter, `keyway run`,
 * `keyway bridge` and the era bridge: messages are looked into only as far as routing, replay and
 * Keyway's own answers need, and otherwise passed on as they came.
 */

export type RpcId = string | number;

/** A JSON-RPC message as far as Keyway needs to look into one. */
export interface RpcMessage {
  jsonrpc?: string;
  method?: string;
  id?: RpcId | null;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

/** JSON-RPC codes Keyway uses for its own answers (the SDK uses -32001 for unknown sessions). */
export const PROXY_ERROR = -32000;
export const SESSION_NOT_FOUND = -32001;
export const INTERNAL_ERROR = -32603;
export const METHOD_NOT_FOUND = -32601;
export const PARSE_ERROR = -32700;

export const isRpcMessage = (v: unknown): v is RpcMessage =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isRequest = (m: RpcMessage): boolean =>
  typeof m.method === 'string' && m.id !== undefined && m.id !== null;
export const isNotification = (m: RpcMessage): boolean =>
  typeof m.method === 'string' && (m.id === undefined || m.id === null);
/** A result or an error answering a request (no method). */
export const isResponse = (m: RpcMessage): boolean =>
  m.method === undefined && m.id !== undefined && (m.result !== undefined || m.error !== undefined);

/**
 * The one builder of the JSON-RPC errors Keyway itself answers with. Never put a secret in
 * `message`: it reaches the client and, through it, possibly a log.
 */
export function rpcErrorJson(id: RpcId | null, message: string, code = PROXY_ERROR): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } });
}

/** A message of Keyway's own, serialised as JSON-RPC 2.0. */
export function rpcJson(message: RpcMessage): string {
  return JSON.stringify({ jsonrpc: '2.0', ...message });
}

/**
 * One JSON text (an HTTP body or a stdio line): a message, or a JSON-RPC batch (an array, which
 * MCP 2025-03-26 allows); null when it is neither. A batch element that is not an object stays as
 * it is, for the caller to pass on.
 */
export function parseRpc(text: string): RpcMessage | unknown[] | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v)) return v as unknown[];
    return isRpcMessage(v) ? v : null;
  } catch {
    return null;
  }
}

/** The messages of one JSON text, a batch flattened; undefined when it is not JSON-RPC. */
export function parseRpcList(text: string): RpcMessage[] | undefined {
  const parsed = parseRpc(text);
  if (parsed === null) return undefined;
  return Array.isArray(parsed) ? parsed.filter(isRpcMessage) : [parsed];
}

/** The ids of the requests (not notifications or responses) among `messages`. */
export function requestIds(messages: RpcMessage[] | undefined): RpcId[] {
  const ids: RpcId[] = [];
  for (const m of messages ?? []) if (isRequest(m)) ids.push(m.id!);
  return ids;
}

export function isInitialize(messages: RpcMessage[] | undefined): boolean {
  return messages?.some((m) => m.method === 'initialize' && m.id !== undefined) ?? false;
}

/** Whether two JSON-RPC ids are the same id (a number and its string are not). */
/**
 * A JSON-RPC id (or progress token) as a map key: 1 and "1" are different ids. It is the id's
 * JSON, so `idFromKey` reads it back (to answer that id with an error, say).
 */
export const idKey = (id: unknown): string => JSON.stringify(id) ?? 'undefined';

export const idFromKey = (key: string): RpcId => JSON.parse(key) as RpcId;

export const sameId = (a: RpcId | null | undefined, b: RpcId | null | undefined): boolean =>
  a !== undefined && a !== null && a === b;
