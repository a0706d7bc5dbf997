import type { RpcMessage } from '../../../shared/mcp/messages';
import { parseRpcList } from '../../../shared/mcp/messages';

/** What makes a body worth parsing before it is forwarded: it changes what a session replays. */
const INTERESTING =
  /"(initialize|notifications\/initialized|logging\/setLevel|resources\/(un)?subscribe|subscriptions\/listen|notifications\/cancelled)"/;

/**
 * The messages of a request body, parsed only when they may matter to replay (or always, when
 * `force`): most bodies are forwarded without Keyway ever parsing them.
 */
export function parseMessages(body: Buffer, force = false): RpcMessage[] | undefined {
  const text = body.toString('utf8');
  if (!force && !INTERESTING.test(text)) return undefined;
  return parseRpcList(text);
}

/** Whether a body is a JSON-RPC batch (an array; MCP 2025-03-26), from its first bytes. */
export const isBatch = (bytes: Buffer): boolean =>
  bytes.toString('utf8', 0, 64).trimStart().startsWith('[');
