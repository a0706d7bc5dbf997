import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON, plainStdio } from './common';

/** Claude Code: `~/.claude.json` (user scope) or `.mcp.json`; a remote one is `type: "http"`. */
export const claudeCode: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'claude-code',
  title: 'Claude Code',
  where: 'Run in a terminal (it writes the mcpServers entry of ~/.claude.json)',
  remote: (input, authorization) => ({
    type: 'http',
    url: input.url,
    headers: { Authorization: authorization },
  }),
  stdio: (p) => ({ type: 'stdio', ...plainStdio(p) }),
  defaultPath: (kit) => kit.join(kit.facts.home, '.claude.json'),
};
