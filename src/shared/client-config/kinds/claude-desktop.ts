import { KEYWAY_ON_PATH, TOKEN_FILE_PLACEHOLDER, type ClientSpec } from '../types';
import { MCP_SERVERS_JSON } from './common';

/**
 * Claude Desktop starts stdio programs only and cannot send headers, so its entry runs
 * `keyway bridge`, which reads the token from a file of its own (mode 0600, next to the config).
 */
export const claudeDesktop: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'claude-desktop',
  title: 'Claude Desktop',
  where:
    'claude_desktop_config.json (Settings → Developer → Edit Config); the token goes alone in the token file, readable only by you',
  remote(input) {
    const launcher = input.bridge ?? KEYWAY_ON_PATH;
    const args = [
      ...launcher.args,
      'bridge',
      input.slug,
      '--token-file',
      input.tokenFile ?? TOKEN_FILE_PLACEHOLDER,
      ...(input.dataDir ? ['--data-dir', input.dataDir] : []),
    ];
    return { command: launcher.command, args };
  },
  defaultPath: (kit) => kit.join(kit.appDir('Claude'), 'claude_desktop_config.json'),
};
