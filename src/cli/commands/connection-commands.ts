import type { Command } from '../command';
import { str } from '../cli-input';
import { json, table } from '../output';
import type { McpTransport } from '../../shared/domain';
import { UsageError } from '../cli-errors';

export const connectionAdd: Command = {
  name: 'connection add',
  args: 'SLUG --key ACCOUNT/KEY',
  summary: 'Add a local proxy route; prints its URL http://127.0.0.1:PORT/mcp/SLUG',
  details:
    "The upstream defaults to the account's MCP URL. Next: `keyway client add NAME --connection SLUG`.",
  positionals: 1,
  options: {
    key: { type: 'string', help: 'the key the route uses (ACCOUNT/KEY)', arg: 'REF' },
    upstream: { type: 'string', help: "the vendor's MCP URL (default: the account's)", arg: 'URL' },
    'legacy-sse': { type: 'boolean', help: 'the upstream speaks the older HTTP+SSE transport' },
  },
  async run(ctx) {
    const key = str(ctx.values, 'key');
    if (!key) throw new UsageError('--key ACCOUNT/KEY is required');
    const transport: McpTransport = ctx.values['legacy-sse'] ? 'sse' : 'streamable-http';
    const c = await (
      await ctx.api()
    )['connection.add']({
      slug: ctx.positionals[0]!,
      key,
      upstream: str(ctx.values, 'upstream'),
      transport,
    });
    ctx.out(ctx.json ? json(c) : `${c.url}\n`);
  },
};

export const connectionLs: Command = {
  name: 'connection ls',
  args: '',
  summary: 'List connections and their local URLs',
  positionals: 0,
  options: {},
  async run(ctx) {
    const connections = await (await ctx.api())['connection.list']({});
    if (ctx.json) return ctx.out(json(connections));
    if (connections.length === 0)
      return ctx.out('no connections yet; `keyway connection add SLUG --key ACCOUNT/KEY`\n');
    ctx.out(
      table([
        ['SLUG', 'KEY', 'LOCAL URL', 'UPSTREAM'],
        ...connections.map((c) => [c.slug, c.key, c.url, c.upstream]),
      ]),
    );
  },
};

export const connectionUpdate: Command = {
  name: 'connection update',
  args: 'SLUG [--key ACCOUNT/KEY] [--upstream URL]',
  summary: 'Point a connection at another key or upstream; its clients keep their tokens',
  details:
    "A new key from another account moves the connection to that account's MCP URL; a key is sent only to its own account's server unless --upstream is given with it.\n" +
    'After `keyway key revoke`, give the connection a new key without touching its clients:\n' +
    '  keyway key add work/agent2 --secret-stdin < new-key.txt\n' +
    '  keyway connection update agents --key work/agent2',
  positionals: 1,
  options: {
    key: { type: 'string', help: 'the key the route uses from now on (ACCOUNT/KEY)', arg: 'REF' },
    upstream: {
      type: 'string',
      help: "the MCP URL to forward to, chosen for this key (default: its account's)",
      arg: 'URL',
    },
  },
  async run(ctx) {
    const key = str(ctx.values, 'key');
    const upstream = str(ctx.values, 'upstream');
    if (!key && !upstream) throw new UsageError('give --key ACCOUNT/KEY, --upstream URL or both');
    const c = await (
      await ctx.api()
    )['connection.update']({
      slug: ctx.positionals[0]!,
      ...(key ? { key } : {}),
      ...(upstream ? { upstream } : {}),
    });
    ctx.out(ctx.json ? json(c) : `${c.slug} → ${c.upstream} with ${c.key}\n`);
  },
};
