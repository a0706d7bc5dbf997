import { META } from '../../../../shared/mcp/era';
import type { RpcMessage } from '../../../../shared/mcp/messages';

/** The 2025 revisions the bridge speaks to clients, newest first. */
export const BRIDGED_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;

/** The version the bridge answers `initialize` with: the client's, if the bridge speaks it. */
export function agreedVersion(requested: unknown): string {
  return (BRIDGED_VERSIONS as readonly unknown[]).includes(requested)
    ? (requested as string)
    : BRIDGED_VERSIONS[0];
}

/**
 * `initialize`'s answer built from `server/discover`'s (server/discover): the same capabilities,
 * identity and instructions, at the version agreed with the client.
 */
export function initializeResult(discover: Record<string, unknown>, version: string): unknown {
  const meta = discover._meta as Record<string, unknown> | undefined;
  const serverInfo = meta?.[META.serverInfo] ?? { name: 'MCP server', version: 'unknown' };
  const result: Record<string, unknown> = {
    protocolVersion: version,
    capabilities: discover.capabilities ?? {},
    serverInfo,
  };
  if (typeof discover.instructions === 'string') result.instructions = discover.instructions;
  return result;
}

/** Whether a discover answer says the server speaks the modern era. */
export function speaksModern(discover: Record<string, unknown> | undefined): boolean {
  const versions = discover?.supportedVersions;
  return Array.isArray(versions) && versions.some((v) => typeof v === 'string' && v >= '2026');
}

/**
 * A modern result as a 2025 client expects it: `resultType` (always "complete" by then) goes;
 * everything else, caching hints included, is passed on (2025 clients ignore unknown fields).
 */
export function legacyResult(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
  const { resultType: _complete, ...rest } = result as Record<string, unknown>;
  return rest;
}

/**
 * A notification from a listen stream as a 2025 GET stream carries it: without the subscription
 * id; the acknowledgment is the bridge's business, not the client's (undefined).
 */
export function legacyNotification(m: RpcMessage): RpcMessage | undefined {
  if (m.method === 'notifications/subscriptions/acknowledged') return undefined;
  const meta = m.params?._meta;
  if (typeof meta !== 'object' || meta === null || !(META.subscriptionId in meta)) return m;
  const { [META.subscriptionId]: _id, ...rest } = meta as Record<string, unknown>;
  const params = { ...m.params };
  if (Object.keys(rest).length > 0) params._meta = rest;
  else delete params._meta;
  return { ...m, params };
}
