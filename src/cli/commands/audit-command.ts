import type { Command } from '../command';
import { str } from '../cli-input';
import { json, table } from '../output';

export const audit: Command = {
  name: 'audit',
  args: '',
  summary: 'Show the audit log (oldest first)',
  positionals: 0,
  options: {
    since: { type: 'string', help: 'only entries at or after this ISO time', arg: 'ISO' },
    key: { type: 'string', help: 'only entries about this key', arg: 'ACCOUNT/KEY' },
    client: { type: 'string', help: 'only entries about this client', arg: 'NAME' },
    event: { type: 'string', help: 'only this event or family, e.g. key or key.rotated', arg: 'E' },
  },
  async run(ctx) {
    const entries = await (
      await ctx.api()
    )['audit.list']({
      since: str(ctx.values, 'since'),
      key: str(ctx.values, 'key'),
      client: str(ctx.values, 'client'),
      event: str(ctx.values, 'event'),
    });
    if (ctx.json) return ctx.out(json(entries));
    ctx.out(
      table([
        ['AT', 'EVENT', 'KEY', 'CLIENT'],
        ...entries.map((e) => [e.at, e.event, e.key ?? '-', e.client ?? '-']),
      ]),
    );
  },
};
