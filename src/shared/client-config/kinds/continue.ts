import type { ClientSpec } from '../types';

/**
 * Continue: one YAML block per file in `~/.continue/mcpServers/`, its `mcpServers` a list of
 * named servers; a remote one is `type: streamable-http`, `url`, `requestOptions.headers`.
 */
export const continueDev: ClientSpec = {
  kind: 'continue',
  title: 'Continue',
  format: 'yaml',
  container: 'mcpServers',
  list: true,
  where: '~/.continue/mcpServers/NAME.yaml (or .continue/mcpServers/ in a workspace)',
  urlField: 'url',
  headersPath: ['requestOptions', 'headers'],
  commandField: 'command',
  envField: 'env',
  remote: (input, authorization) => ({
    name: input.serverName,
    type: 'streamable-http',
    url: input.url,
    requestOptions: { headers: { Authorization: authorization } },
  }),
  stdio: (p, serverName) => ({
    name: serverName,
    type: 'stdio',
    command: p.command,
    args: p.args,
    ...(p.env && Object.keys(p.env).length ? { env: p.env } : {}),
  }),
  newDocument: () => ({ name: 'Keyway', version: '0.0.1', schema: 'v1' }),
  defaultPath: (kit, serverName) =>
    kit.join(kit.facts.home, '.continue', 'mcpServers', `${serverName}.yaml`),
};
