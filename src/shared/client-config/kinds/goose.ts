import type { ClientSpec } from '../types';

/**
 * Goose: `~/.config/goose/config.yaml` (Windows `%APPDATA%\Block\goose\config\config.yaml`),
 * `extensions` keyed by name; a remote one is `type: streamable_http` with `uri` and `headers`,
 * a local one `type: stdio` with `cmd`, `args` and `envs`.
 */
export const goose: ClientSpec = {
  kind: 'goose',
  title: 'Goose',
  format: 'yaml',
  container: 'extensions',
  where: '~/.config/goose/config.yaml, under extensions',
  urlField: 'uri',
  headersPath: ['headers'],
  commandField: 'cmd',
  envField: 'envs',
  remote: (input, authorization) => ({
    enabled: true,
    name: input.serverName,
    type: 'streamable_http',
    uri: input.url,
    headers: { Authorization: authorization },
    timeout: 300,
  }),
  stdio: (p, serverName) => ({
    enabled: true,
    name: serverName,
    type: 'stdio',
    cmd: p.command,
    args: p.args,
    envs: p.env ?? {},
    timeout: 300,
  }),
  defaultPath: (kit) =>
    kit.facts.platform === 'win32'
      ? kit.join(kit.appDir('Block'), 'goose', 'config', 'config.yaml')
      : kit.join(kit.configDir('goose'), 'config.yaml'),
};
