import type { Command } from '../command';
import { json } from '../output';
import { confirmOnTerminal } from '../confirm';
import { KeywayError } from '../../shared/errors';

export const keyRevoke: Command = {
  name: 'key revoke',
  args: 'ACCOUNT/KEY [--yes]',
  summary: 'Revoke a key at the vendor (or confirm a dashboard revocation), then forget its secret',
  details:
    'When connections use the key, their clients stop working (every call fails until the\n' +
    'connection has a key again): Keyway names them and asks on a terminal; scripts pass --yes.\n' +
    'To replace a key without breaking anyone, rotate it instead: `keyway key rotate ACCOUNT/KEY`.',
  positionals: 1,
  options: {
    yes: { type: 'boolean', help: 'revoke even when connections use the key (no question asked)' },
  },
  async run(ctx) {
    const ref = ctx.positionals[0]!;
    const api = await ctx.api();
    const connections = (await api['connection.list']({})).filter((c) => c.key === ref);
    const slugs = connections.map((c) => c.slug);
    if (slugs.length > 0) {
      const clients = (await api['client.list']({}))
        .filter((c) => slugs.includes(c.connection) && !c.revokedAt)
        .map((c) => c.name);
      const who = clients.length > 0 ? `client(s) ${clients.join(', ')}` : 'no client yet';
      ctx.err(
        `${ref} is used by connection(s) ${slugs.join(', ')}: revoking it stops ${who} (every call fails until the connection has a key again)\n`,
      );
      const go = await confirmOnTerminal(
        ctx.stdin,
        ctx.err,
        `Revoke ${ref}?`,
        ctx.values.yes === true,
      );
      if (!go) throw new KeywayError('conflict', `not revoked: ${ref} is unchanged`);
    }
    const result = await api['key.revoke']({ ref });
    if (ctx.json) return ctx.out(json({ ...result, connections: slugs }));
    const lines = [
      `revoked ${result.ref} (${result.revoked.map((v) => v.fingerprint).join(', ')}); secret forgotten`,
    ];
    const account = ref.split('/')[0]!;
    for (const slug of slugs)
      lines.push(
        `connection ${slug} has no working key now; give it one (its clients keep their tokens):`,
        `  keyway key add ${account}/NEW --secret-stdin < key.txt   (or: keyway key create ${account}/NEW)`,
        `  keyway connection update ${slug} --key ${account}/NEW`,
      );
    ctx.out(lines.join('\n') + '\n');
  },
};
