// The sandbox vendors' MCP server: a faithful local stand-in for each vendor's MCP endpoint,
// mounted by the sandbox REST side at the vendor's MCP URL.
export type {
  McpAuthResult,
  McpCaller,
  SandboxMcpEndpoint,
  SandboxMcpEndpointOptions,
} from './types';
export { createSandboxMcpEndpoint } from './streamable-endpoint';
export { createSandboxLegacySseEndpoint } from './legacy-sse-endpoint';
export { numberedLines, MAX_BIG_BYTES } from './vendor-tools';
export { activityUri, WATCHED_URI } from './activity';
export type { ActivityEntry } from './activity';
