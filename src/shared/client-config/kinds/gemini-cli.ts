import type { ClientSpec } from '../types';
import { MCP_SERVERS_JSON } from './common';

/** Gemini CLI: `~/.gemini/settings.json`; Streamable HTTP is `httpUrl` (`url` means SSE there). */
export const geminiCli: ClientSpec = {
  ...MCP_SERVERS_JSON,
  kind: 'gemini-cli',
  title: 'Gemini CLI',
  urlField: 'httpUrl',
  where: '~/.gemini/settings.json (or .gemini/settings.json in a project)',
  remote: (input, authorization) => ({
    httpUrl: input.url,
    headers: { Authorization: authorization },
  }),
  defaultPath: (kit) => kit.join(kit.facts.home, '.gemini', 'settings.json'),
};
