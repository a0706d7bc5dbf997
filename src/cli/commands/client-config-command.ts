import type { Command, CommandContext } from '../command';
import { UsageError } from '../cli-errors';
import { str } from '../cli-input';
import { json } from '../output';
import { KeywayError } from '../../shared/errors';
import { findClient } from '../../main/core/store/lookups';
import {
  CLIENT_KINDS,
  CONFIG_WHERE,
  clientSpec,
  KEYWAY_ON_PATH,
  claudeMcpAddCommand,
  clientConfigEntry,
  configDocument,
  isClientKind,
  type ClientConfigInput,
  type ClientKind,
} from '../../shared/client-config';
import {
  assertOutsideDataDir,
  bridgeLauncher,
  configPathFor,
  tokenFileFor,
} from '../client-setup/client-paths';
import { installClientEntry, uninstallClientEntry } from '../client-setup/client-install';
import { checkInstalledEntry, type EntryCheck } from '../client-setup/entry-check';
import { stdioForm } from '../client-setup/stdio-command';

const KINDS = CLIENT_KINDS.map((c) => c.kind).join('|');
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const clientConfig: Command = {
  name: 'client config',
  args: `NAME --for ${KINDS}  |  [NAME] --for CLIENT --stdio ENTRY --env VAR=ACCOUNT/KEY… -- COMMAND [ARG…]`,
  summary:
    "Print (or merge into the AI client's own config file, keeping a backup) the entry that points it at the proxy",
  details:
    'Without --install the entry is printed with a <token> placeholder: Keyway keeps only a hash of\n' +
    'the token. --install issues the client a new token (its previous one stops working at once) and\n' +
    "writes it into the client's config, keeping every other entry; running it again changes nothing.\n" +
    '  keyway client config cursor --for cursor --install\n' +
    'Claude Desktop speaks stdio only: its entry runs `keyway bridge`, which reads the token from a\n' +
    "file (mode 0600) next to Claude's config.\n" +
    'After --install Keyway reads the entry back from the file and opens an MCP session with exactly\n' +
    'that URL and token; exit status 1 (the file stays written) when the client would not reach it.\n' +
    'The --stdio form writes a local (stdio) server entry that runs the program under\n' +
    '`keyway run --restart-on-rotate`, so the file names keys and never holds one:\n' +
    '  keyway client config --for cursor --stdio github --env GITHUB_TOKEN=work/github --install -- npx -y @modelcontextprotocol/server-github',
  positionals: [0, 1],
  passthrough: true,
  options: {
    for: { type: 'string', help: `the AI client: ${KINDS.replace(/\|/g, ', ')}`, arg: 'CLIENT' },
    install: { type: 'boolean', help: "merge the entry into the client's config file" },
    uninstall: { type: 'boolean', help: "remove Keyway's entry from the client's config file" },
    config: {
      type: 'string',
      help: "the client's config file (default: its usual user-level file)",
      arg: 'PATH',
    },
    'server-name': {
      type: 'string',
      help: "the server's name in the client's config (default: the connection slug)",
      arg: 'NAME',
    },
    'token-file': {
      type: 'string',
      help: 'Claude Desktop: where the bridge reads the token (default: next to its config)',
      arg: 'FILE',
    },
    'new-token': {
      type: 'boolean',
      help: "install again with a new token even if Keyway's entry is current",
    },
    force: { type: 'boolean', help: 'replace an entry of the same name that Keyway did not write' },
    stdio: {
      type: 'string',
      help: 'write a stdio server entry named ENTRY that runs the program after -- under `keyway run`',
      arg: 'ENTRY',
    },
    env: {
      type: 'string',
      multiple: true,
      help: 'with --stdio: the key the program gets in environment variable VAR',
      arg: 'VAR=ACCOUNT/KEY',
    },
    'keyway-on-path': {
      type: 'boolean',
      help: 'Claude Desktop and --stdio entries: run `keyway` from PATH instead of absolute Node and Keyway paths',
    },
  },
  async run(ctx) {
    const kind = str(ctx.values, 'for');
    if (!kind) throw new UsageError(`--for is required (${KINDS.replace(/\|/g, ', ')})`);
    if (!isClientKind(kind))
      throw new UsageError(`unknown client "${kind}"; choose one of ${KINDS.replace(/\|/g, ', ')}`);
    if (ctx.values.install && ctx.values.uninstall)
      throw new UsageError('--install and --uninstall cannot be combined');
    if (str(ctx.values, 'stdio') !== undefined)
      return stdioForm(
        ctx,
        kind,
        str(ctx.values, 'config') ?? configPathFor(kind, str(ctx.values, 'stdio')),
      );
    if (ctx.passthrough) throw new UsageError('a program after -- goes with --stdio ENTRY');
    if (ctx.positionals.length !== 1)
      throw new UsageError('give the client NAME (see keyway client ls)');
    const serverName = str(ctx.values, 'server-name');
    if (serverName !== undefined && !SERVER_NAME.test(serverName))
      throw new UsageError('--server-name takes 1–64 letters, digits, ".", "_" or "-"');
    const name = ctx.positionals[0]!;
    const api = await ctx.api();
    const client = findClient({ clients: await api['client.list']({}) }, name);
    if (client.revokedAt)
      throw new KeywayError('conflict', `client "${name}" is revoked; add a new client instead`);
    const connection = (await api['connection.list']({})).find((c) => c.slug === client.connection);
    if (!connection)
      throw new KeywayError('not_found', `client "${name}" points at a missing connection`);
    const file = str(ctx.values, 'config') ?? configPathFor(kind, serverName ?? connection.slug);
    const input: ClientConfigInput = {
      kind,
      serverName: serverName ?? connection.slug,
      url: connection.url,
      slug: connection.slug,
      token: null,
      ...(kind === 'claude-desktop' ? desktopBridge(ctx, file, name) : {}),
    };
    if (ctx.values.uninstall) {
      const r = await uninstallClientEntry(input, file);
      if (ctx.json) return ctx.out(json({ client: name, kind, ...r }));
      ctx.out(
        r.action === 'absent'
          ? `no Keyway entry "${r.serverName}" in ${file}; nothing changed\n`
          : `removed Keyway's entry "${r.serverName}" from ${file} (previous file kept as ${r.backup ?? '-'})${r.tokenFile ? `; deleted the token file ${r.tokenFile}` : ''}\n` +
              `the client's token still works until \`keyway client revoke ${name}\`\n`,
      );
      return;
    }
    if (ctx.values.install) {
      const r = await installClientEntry({
        api,
        client: name,
        file,
        input,
        newToken: ctx.values['new-token'] === true,
        force: ctx.values.force === true,
      });
      const check = await checkInstalledEntry(
        kind,
        file,
        [clientSpec(kind).container, input.serverName],
        connection.url,
      );
      if (ctx.json) ctx.out(json({ client: name, kind, ...r, check }));
      else ctx.out(describeInstall(name, kind, r, input) + describeCheck(input, check));
      return check.reachable ? 0 : 1;
    }
    printEntry(ctx, name, kind, file, input);
  },
};

function desktopBridge(
  ctx: CommandContext,
  file: string,
  client: string,
): Pick<ClientConfigInput, 'tokenFile' | 'bridge' | 'dataDir'> {
  const tokenFile = str(ctx.values, 'token-file') ?? tokenFileFor(file, client);
  assertOutsideDataDir(tokenFile, ctx.dataDir);
  return {
    tokenFile,
    bridge: ctx.values['keyway-on-path'] ? KEYWAY_ON_PATH : bridgeLauncher(),
    dataDir: ctx.dataDir,
  };
}

function describeInstall(
  client: string,
  kind: ClientKind,
  r: Awaited<ReturnType<typeof installClientEntry>>,
  input: ClientConfigInput,
): string {
  const title = clientConfigEntry(input).title;
  if (r.action === 'unchanged') {
    return `Keyway's entry "${r.serverName}" in ${r.file} is already current; nothing changed (--new-token issues a new token)\n`;
  }
  const lines = [
    `${r.action} Keyway's entry "${r.serverName}" for ${title} in ${r.file}` +
      (r.backup ? ` (previous file kept as ${r.backup})` : ''),
    `client ${client} has a new local token, written only to ${r.tokenFile ?? r.file}; its previous token stopped working`,
    `restart ${title} (or reload its MCP servers) to connect`,
  ];
  if (kind === 'claude-code')
    lines.push(`the same by hand: ${claudeMcpAddCommand({ ...input, token: null })}`);
  return lines.join('\n') + '\n';
}

function describeCheck(input: ClientConfigInput, check: EntryCheck): string {
  const title = clientSpec(input.kind).title;
  return check.reachable
    ? `checked: ${title} will reach its server (${check.detail})\n`
    : `check failed: ${title} would not reach its server with what the file holds: ${check.detail}\n`;
}

function printEntry(
  ctx: CommandContext,
  client: string,
  kind: ClientKind,
  file: string,
  input: ClientConfigInput,
): void {
  const entry = clientConfigEntry(input);
  const document = configDocument(entry);
  const command = kind === 'claude-code' ? claudeMcpAddCommand(input) : undefined;
  if (ctx.json) {
    ctx.out(
      json({
        client,
        kind,
        file,
        serverName: entry.path[1],
        format: entry.format,
        entry: entry.entry,
        document,
        ...(command ? { command } : {}),
        ...(input.tokenFile ? { tokenFile: input.tokenFile } : {}),
      }),
    );
    return;
  }
  ctx.out(document + (command ? `\n# or, with the Claude Code CLI:\n${command}\n` : ''));
  ctx.err(
    `# ${entry.title}: ${CONFIG_WHERE[kind]} — here ${file}\n` +
      (kind === 'claude-desktop'
        ? `# the bridge reads the token from ${input.tokenFile ?? ''} (mode 0600)\n`
        : '# <token> is a placeholder: Keyway keeps only a hash of the token\n') +
      `# --install issues a new token and writes it for you (the old one stops working)\n`,
  );
}
