export { createMcpProxy } from './mcp-proxy';
export type {
  McpProxy,
  ProxyBackend,
  ProxyCounters,
  ProxyKey,
  ProxyOptions,
  ProxyRequestDone,
  ProxyRoute,
} from './proxy-backend';
