import type { CommandContext } from '../command';
import { UsageError } from '../cli-errors';
import { list, str } from '../cli-input';
import { json } from '../output';
import {
  KEYWAY_ON_PATH,
  clientTitle,
  configDocument,
  stdioConfigEntry,
  type ClientKind,
} from '../../shared/client-config';
import { parseEnvRefs } from '../run/env-refs';
import { currentVersions } from '../run/key-source';
import { assertStartable } from '../run/child-program';
import { bridgeLauncher } from './client-paths';
import { uninstallClientEntry } from './client-install';
import { installStdioEntry, keywayRunProgram } from './stdio-install';

const ENTRY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * `keyway client config [NAME] --for KIND --stdio ENTRY --env VAR=ACCOUNT/KEY… -- COMMAND …`:
 * a stdio server entry that the client starts under `keyway run`, so its file never holds the
 * key. No client token is involved, so NAME is optional here.
 */
export async function stdioForm(
  ctx: CommandContext,
  kind: ClientKind,
  file: string,
): Promise<void> {
  const entryName = str(ctx.values, 'stdio')!;
  if (!ENTRY_NAME.test(entryName))
    throw new UsageError('--stdio takes 1–64 letters, digits, ".", "_" or "-"');
  if (ctx.values.uninstall) {
    const r = await uninstallClientEntry({ kind, serverName: entryName }, file);
    if (ctx.json) return ctx.out(json({ kind, ...r }));
    ctx.out(
      r.action === 'absent'
        ? `no Keyway entry "${entryName}" in ${file}; nothing changed\n`
        : `removed Keyway's entry "${entryName}" from ${file} (previous file kept as ${r.backup ?? '-'})\n`,
    );
    return;
  }
  const [command, ...args] = ctx.passthrough ?? [];
  if (!command) throw new UsageError('--stdio needs the program after --, e.g. -- npx my-server');
  const refs = parseEnvRefs(list(ctx.values, 'env') ?? []);
  if (refs.length === 0) throw new UsageError('--stdio needs at least one --env VAR=ACCOUNT/KEY');
  const launcher = ctx.values['keyway-on-path'] ? KEYWAY_ON_PATH : bridgeLauncher();
  const program = keywayRunProgram(launcher, refs, ctx.dataDir, command, args);
  if (!ctx.values.install) {
    const doc = configDocument(stdioConfigEntry(kind, entryName, program));
    if (ctx.json) return ctx.out(json({ kind, file, serverName: entryName, document: doc }));
    ctx.out(doc);
    ctx.err(`# ${clientTitle(kind)}: here ${file}; --install merges it for you\n`);
    return;
  }
  // Every key must exist before the file changes: a typo is an error now, not at the client's
  // next start.
  await currentVersions(await ctx.api(), refs);
  assertStartable(command);
  const r = await installStdioEntry({
    kind,
    file,
    serverName: entryName,
    program,
    force: ctx.values.force === true,
  });
  if (ctx.json) return ctx.out(json({ kind, ...r }));
  ctx.out(
    r.action === 'unchanged'
      ? `Keyway's entry "${entryName}" in ${file} is already current; nothing changed\n`
      : `${r.action} the stdio entry "${entryName}" for ${clientTitle(kind)} in ${file}` +
          (r.backup ? ` (previous file kept as ${r.backup})` : '') +
          `\nit runs ${command} under \`keyway run\`: ${refs.map((e) => `${e.variable} from ${e.ref}`).join(', ')}, read from the keychain at each start\n`,
  );
}
