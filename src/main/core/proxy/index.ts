export { createMcpProxy } from './mcp-proxy';
export type {
  McpProxy,
  ProxyBackend,
  ProxyCounters,
  ProxyKey,
  ProxyOptions,
  ProxyRoute,
} from './proxy-backend';
