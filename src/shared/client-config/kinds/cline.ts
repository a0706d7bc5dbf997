import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON } from './common';

/** Cline: `cline_mcp_settings.json` in VS Code's global storage; `type: "streamableHttp"`. */
export const cline: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'cline',
  title: 'Cline',
  where: 'cline_mcp_settings.json (Cline → MCP Servers → Configure MCP Servers)',
  remote: (input, authorization) => ({
    type: 'streamableHttp',
    url: input.url,
    headers: { Authorization: authorization },
    disabled: false,
  }),
  defaultPath: (kit) =>
    kit.join(
      kit.appDir('Code'),
      'User',
      'globalStorage',
      'saoudrizwan.claude-dev',
      'settings',
      'cline_mcp_settings.json',
    ),
};
