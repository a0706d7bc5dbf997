import type { ClientSpec } from '../types';
import { plainStdio } from './common';

/**
 * Codex: `~/.codex/config.toml`, `[mcp_servers.NAME]`. It reaches Streamable HTTP servers itself
 * with `url` plus literal `http_headers` (it ignores `headers`).
 */
export const codex: ClientSpec = {
  kind: 'codex',
  title: 'Codex',
  format: 'toml',
  container: 'mcp_servers',
  where: '~/.codex/config.toml',
  urlField: 'url',
  headersPath: ['http_headers'],
  commandField: 'command',
  envField: 'env',
  remote: (input, authorization) => ({
    url: input.url,
    http_headers: { Authorization: authorization },
  }),
  stdio: plainStdio,
  defaultPath: (kit) =>
    kit.join(kit.facts.codexHome ?? kit.join(kit.facts.home, '.codex'), 'config.toml'),
};
