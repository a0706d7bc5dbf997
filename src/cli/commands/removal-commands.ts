import type { Command } from '../command';
import { json } from '../output';
import { KeywayError } from '../../shared/errors';

export const accountRemove: Command = {
  name: 'account remove',
  args: 'NAME [--force]',
  summary: 'Remove an account; refused while keys or connections depend on it unless --force',
  details:
    'Without --force the account must have no keys: `keyway key revoke ACCOUNT/KEY` (revokes at the\n' +
    'vendor) or `keyway key remove ACCOUNT/KEY` (forgets locally) first.\n' +
    'With --force its connections are removed (their clients stop reaching anything) and its keys are\n' +
    'forgotten here only: they stay live at the vendor, so revoke them first if you mean that.',
  positionals: 1,
  options: {
    force: {
      type: 'boolean',
      help: 'also remove its connections and forget its keys locally (they stay live at the vendor)',
    },
  },
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const force = ctx.values.force === true;
    const api = await ctx.api();
    if (!force) {
      // Name what depends on the account in the user's words before the service refuses.
      const keys = (await api['key.list']({})).filter((k) => k.account === name).map((k) => k.ref);
      if (keys.length > 0) {
        const slugs = (await api['connection.list']({}))
          .filter((c) => keys.includes(c.key))
          .map((c) => c.slug);
        const via = slugs.length > 0 ? `; connection(s) ${slugs.join(', ')} use them` : '';
        throw new KeywayError(
          'conflict',
          `account ${name} still has key(s) ${keys.join(', ')}${via}. Revoke them first (keyway key revoke), or pass --force to remove the connections and forget the keys locally (they stay live at the vendor)`,
        );
      }
    }
    const r = await api['account.remove']({ name, force });
    if (ctx.json) return ctx.out(json(r));
    const lines = [`removed account ${r.removed}`];
    if (r.connections.length > 0)
      lines.push(`removed connection(s) ${r.connections.join(', ')}; their clients stop at once`);
    if (r.keys.length > 0)
      lines.push(
        `forgot key(s) ${r.keys.join(', ')} locally: they stay live at the vendor until you revoke them there`,
      );
    ctx.out(lines.join('\n') + '\n');
  },
};

export const connectionRemove: Command = {
  name: 'connection remove',
  args: 'SLUG',
  summary: "Remove a connection: its clients' tokens stop reaching anything at once",
  positionals: 1,
  options: {},
  async run(ctx) {
    const r = await (
      await ctx.api()
    )['connection.remove']({
      slug: ctx.positionals[0]!,
      force: true,
    });
    if (ctx.json) return ctx.out(json(r));
    const gone =
      r.clients.length > 0 ? `; client(s) ${r.clients.join(', ')} no longer reach anything` : '';
    ctx.out(`removed connection ${r.removed}${gone}\n`);
  },
};
