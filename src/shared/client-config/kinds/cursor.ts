import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON } from './common';

/** Cursor: `~/.cursor/mcp.json`, a remote server is `url` + `headers`. */
export const cursor: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'cursor',
  title: 'Cursor',
  where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
  remote: (input, authorization) => ({ url: input.url, headers: { Authorization: authorization } }),
  defaultPath: (kit) => kit.join(kit.facts.home, '.cursor', 'mcp.json'),
};
