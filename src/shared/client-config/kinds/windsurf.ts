import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON } from './common';

/** Windsurf: `~/.codeium/windsurf/mcp_config.json`; a remote server is `serverUrl` (not `url`). */
export const windsurf: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'windsurf',
  title: 'Windsurf',
  urlField: 'serverUrl',
  where: '~/.codeium/windsurf/mcp_config.json (MCP toolbar → Configure)',
  remote: (input, authorization) => ({
    serverUrl: input.url,
    headers: { Authorization: authorization },
  }),
  defaultPath: (kit) => kit.join(kit.facts.home, '.codeium', 'windsurf', 'mcp_config.json'),
};
