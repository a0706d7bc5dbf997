import type { RpcId, RpcMessage } from './messages';

/**
 * MCP's two eras (2026-07-28, basic/versioning): **legacy** revisions (2025-11-25 and earlier)
 * open a session with `initialize` and keep state in it; **modern** ones (2026-07-28 and later)
 * are stateless, every request carrying its protocol version, client info, client capabilities
 * and log level in `params._meta`.
 */
export type McpEra = 'legacy' | 'modern';

export const LEGACY_LATEST = '2025-11-25';
export const MODERN_FIRST = '2026-07-28';

/** The `_meta` keys a modern request carries (2026-07-28, basic/index, `_meta`). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/** Modern JSON-RPC error codes that identify a modern server (2026-07-28, schema). */
export const MODERN_ERRORS = {
  headerMismatch: -32020,
  missingClientCapability: -32021,
  unsupportedProtocolVersion: -32022,
} as const;

/** Dated revisions compare as strings: 2026-07-28 and later are modern. */
export function eraOf(protocolVersion: string): McpEra {
  return protocolVersion >= MODERN_FIRST ? 'modern' : 'legacy';
}

/** The `_meta` of a message's params, if it has one. */
export function metaOf(m: RpcMessage): Record<string, unknown> | undefined {
  const meta = m.params?._meta;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta)
    ? (meta as Record<string, unknown>)
    : undefined;
}

/** The protocol version a modern request declares in its `_meta`; undefined on a legacy one. */
export function declaredVersion(m: RpcMessage): string | undefined {
  const v = metaOf(m)?.[META.protocolVersion];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Whether an error answer is one only a modern server gives: the spec's backward-compatibility
 * rule (a recognised modern error means "modern server: retry, don't fall back").
 */
export function isModernError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (Object.values(MODERN_ERRORS) as unknown[]).includes(code);
}

/** The versions an `UnsupportedProtocolVersionError` says the server supports. */
export function supportedVersionsOf(error: unknown): string[] {
  const data = (error as { data?: { supported?: unknown } } | null)?.data;
  const list = data?.supported;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The message with the subscription id in its `_meta` (if it carries one) set to `id`: a relay
 * that re-numbers requests must hand the client back the id of the `subscriptions/listen` it sent.
 */
export function withSubscriptionId(m: RpcMessage, id: RpcId | undefined): RpcMessage {
  const meta = metaOf(m);
  if (!meta || meta[META.subscriptionId] === undefined || id === undefined) return m;
  return { ...m, params: { ...m.params, _meta: { ...meta, [META.subscriptionId]: id } } };
}
