import type { KeywayApi } from '../../shared/contract';
import {
  clientConfigEntry,
  clientSpec,
  isObject,
  type BridgeLauncher,
  type JsonObject,
} from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import {
  backupWithout,
  readEntry,
  reparsed,
  withEntry,
  writeClientConfig,
  writeTokenFile,
  type ClientConfigFile,
} from '../client-setup/client-config-file';
import { tokenFileFor } from '../client-setup/client-paths';
import { keywayRunProgram } from '../client-setup/stdio-install';
import type { PlanItem } from './adopt-plan';

export interface AdoptResult {
  backup: string | null;
  created: string[];
}

/**
 * Applies the plan: every secret into the keychain (through the service, which verifies each key
 * with its vendor first), then the file rewritten once — remote entries pointed at the proxy
 * with a local token, stdio entries started under `keyway run`. If anything fails before the
 * write, the file is untouched and the error says what was already created.
 */
export async function applyAdoption(opts: {
  api: KeywayApi;
  config: ClientConfigFile;
  items: PlanItem[];
  launcher: BridgeLauncher;
  dataDir: string;
}): Promise<AdoptResult> {
  const { api, items } = opts;
  const created: string[] = [];
  const tokens = new Map<string, { url: string; slug: string; token: string; client: string }>();
  try {
    for (const item of items) {
      const a = item.account;
      if (a.create && !created.includes(`account ${a.name}`)) {
        await api['account.add']({
          name: a.name,
          vendor: a.vendor,
          ...(a.mcpUrl ? { mcpUrl: a.mcpUrl } : {}),
          ...(a.auth ? { auth: a.auth } : {}),
        });
        created.push(`account ${a.name}`);
      }
      await api['key.add']({ ref: item.key, secret: item.finding.secret });
      created.push(`key ${item.key}`);
      if (item.connection && item.client) {
        const c = await api['connection.add']({ slug: item.connection, key: item.key });
        created.push(`connection ${c.slug}`);
        const client = await api['client.add']({ name: item.client, connection: c.slug });
        created.push(`client ${client.name}`);
        tokens.set(item.finding.entry, {
          url: c.url,
          slug: c.slug,
          token: client.token,
          client: client.name,
        });
      }
    }
  } catch (err) {
    throw new KeywayError(
      err instanceof KeywayError ? err.code : 'internal',
      `adopt stopped: ${(err as Error).message.split('\n')[0]}; created so far: ${created.join(', ') || 'nothing'}; ${opts.config.file} was left untouched`,
    );
  }
  let config = opts.config;
  const spec = clientSpec(config.kind);
  for (const entry of new Set(items.map((i) => i.finding.entry))) {
    const path: [string, string] = [spec.container, entry];
    const original = readEntry(config, path);
    if (!isObject(original)) continue;
    const remote = tokens.get(entry);
    let next: JsonObject;
    if (remote) {
      const tokenFile =
        config.kind === 'claude-desktop' ? tokenFileFor(config.file, remote.client) : undefined;
      if (tokenFile) await writeTokenFile(tokenFile, remote.token);
      next = clientConfigEntry({
        kind: config.kind,
        serverName: entry,
        url: remote.url,
        slug: remote.slug,
        token: remote.token,
        tokenFile,
        bridge: opts.launcher,
        dataDir: opts.dataDir,
      }).entry;
    } else {
      next = underKeywayRun(config, original as JsonObject, entry, items, opts);
    }
    config = reparsed(config, withEntry(config, path, next));
  }
  // The backup keeps everything but the secrets that moved: each says where it went instead.
  const moved = items.map((i) => ({
    secret: i.finding.secret,
    marker: `moved-to-keyway:${i.key}`,
  }));
  const backupText = backupWithout(opts.config, moved);
  const outcome = await writeClientConfig(opts.config, config.text, tokens.size > 0, backupText);
  return { backup: outcome.backup, created };
}

function underKeywayRun(
  config: ClientConfigFile,
  original: JsonObject,
  entry: string,
  items: PlanItem[],
  opts: { launcher: BridgeLauncher; dataDir: string },
): JsonObject {
  const spec = clientSpec(config.kind);
  const mine = items.filter((i) => i.finding.entry === entry && i.finding.type === 'env');
  const secretVars = new Set(mine.map((i) => (i.finding.type === 'env' ? i.finding.variable : '')));
  const env = isObject(original[spec.envField]) ? (original[spec.envField] as JsonObject) : {};
  const rest = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => !secretVars.has(k) && typeof v === 'string'),
  ) as Record<string, string>;
  const refs = mine.map((i) => ({
    variable: i.finding.type === 'env' ? i.finding.variable : '',
    ref: i.key,
  }));
  const args = Array.isArray(original.args) ? original.args.map(String) : [];
  const program = keywayRunProgram(
    opts.launcher,
    refs,
    opts.dataDir,
    typeof original[spec.commandField] === 'string' ? (original[spec.commandField] as string) : '',
    args,
  );
  const copy: JsonObject = { ...original };
  delete copy[spec.envField];
  delete copy[spec.commandField];
  delete copy.args;
  return { ...copy, ...spec.stdio({ ...program, env: rest }, entry) };
}
