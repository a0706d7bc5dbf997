import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON, plainStdio } from './common';

/** VS Code: the user `mcp.json` (JSONC) lists `servers`; a remote one is `type: "http"`. */
export const vscode: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'vscode',
  title: 'VS Code',
  format: 'jsonc',
  container: 'servers',
  where: 'your user mcp.json (Command Palette → “MCP: Open User Configuration”)',
  remote: (input, authorization) => ({
    type: 'http',
    url: input.url,
    headers: { Authorization: authorization },
  }),
  stdio: (p) => ({ type: 'stdio', ...plainStdio(p) }),
  defaultPath: (kit) => kit.join(kit.appDir('Code'), 'User', 'mcp.json'),
};
