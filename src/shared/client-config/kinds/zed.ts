import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON } from './common';

/** Zed: `settings.json` (JSONC), `context_servers`; the transport follows from `url` vs `command`. */
export const zed: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'zed',
  title: 'Zed',
  format: 'jsonc',
  container: 'context_servers',
  where: 'Zed settings.json (zed: open settings), under context_servers',
  remote: (input, authorization) => ({ url: input.url, headers: { Authorization: authorization } }),
  defaultPath: (kit) =>
    kit.join(kit.configDir(kit.facts.platform === 'win32' ? 'Zed' : 'zed'), 'settings.json'),
};
