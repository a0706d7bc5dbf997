import type { ClientSpec, JsonObject, StdioProgram } from '../types';

/** `{command, args, env?}`: how most clients spell a stdio server. */
export function plainStdio(p: StdioProgram): JsonObject {
  return {
    command: p.command,
    args: p.args,
    ...(p.env && Object.keys(p.env).length ? { env: p.env } : {}),
  };
}

/** The fields most JSON clients share: `mcpServers`, `url` + `headers`, `command` + `env`. */
export const MCP_SERVERS_JSON = {
  format: 'json',
  container: 'mcpServers',
  urlField: 'url',
  headersPath: ['headers'],
  commandField: 'command',
  envField: 'env',
  stdio: plainStdio,
} as const satisfies Partial<ClientSpec>;
