import type { Command } from '../command';
import { str } from '../cli-input';
import { json, table } from '../output';
import { UsageError } from '../cli-errors';

export const clientAdd: Command = {
  name: 'client add',
  args: 'NAME --connection SLUG',
  summary: 'Allow a local AI client on a connection; prints its local token once',
  details:
    'Keyway keeps only a hash of the token: copy it now. Next: `keyway client config NAME --for cursor`.',
  positionals: 1,
  options: {
    connection: { type: 'string', help: 'the connection the client may use', arg: 'SLUG' },
  },
  async run(ctx) {
    const connection = str(ctx.values, 'connection');
    if (!connection) throw new UsageError('--connection SLUG is required');
    const created = await (
      await ctx.api()
    )['client.add']({ name: ctx.positionals[0]!, connection });
    ctx.out(ctx.json ? json(created) : `${created.token}\n`);
    if (!ctx.json)
      ctx.err(`client ${created.name} may use ${created.connection}; this token is shown once\n`);
  },
};

export const clientLs: Command = {
  name: 'client ls',
  args: '',
  summary: 'List clients',
  positionals: 0,
  options: {},
  async run(ctx) {
    const clients = await (await ctx.api())['client.list']({});
    if (ctx.json) return ctx.out(json(clients));
    if (clients.length === 0)
      return ctx.out('no clients yet; `keyway client add NAME --connection SLUG`\n');
    ctx.out(
      table([
        ['NAME', 'CONNECTION', 'CREATED', 'STATE'],
        ...clients.map((c) => [
          c.name,
          c.connection,
          c.createdAt,
          c.revokedAt ? 'revoked' : 'active',
        ]),
      ]),
    );
  },
};

export const clientRevoke: Command = {
  name: 'client revoke',
  args: 'NAME',
  summary: 'Revoke a client: its token stops working at once, open sessions included',
  positionals: 1,
  options: {},
  async run(ctx) {
    const c = await (await ctx.api())['client.revoke']({ name: ctx.positionals[0]! });
    ctx.out(ctx.json ? json(c) : `revoked ${c.name}\n`);
  },
};
