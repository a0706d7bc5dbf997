import type { Command } from '../command';
import { int, list, readSecretFromStdin } from '../cli-input';
import { ago, json, table } from '../output';
import type { KeyChange } from '../../shared/contract';

export function describeChange(change: KeyChange): string {
  const lines = [
    `${change.ref}: version ${change.version.fingerprint} (…${change.version.last4}) is active`,
  ];
  if (change.retired) lines.push(`retired ${change.retired.fingerprint} (${change.retired.state})`);
  for (const w of change.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

export const keyAdd: Command = {
  name: 'key add',
  args: 'ACCOUNT/KEY --secret-stdin',
  summary: "Store a key made in the vendor's dashboard (read from standard input)",
  details:
    "The key is checked against the vendor's format before it is stored in the OS keychain:\n" +
    '  pbpaste | keyway key add work/claude --secret-stdin --scope mcp\n' +
    'Next: `keyway connection add SLUG --key ACCOUNT/KEY`.',
  positionals: 1,
  options: {
    'secret-stdin': { type: 'boolean', help: 'read the key from standard input (required)' },
    scope: {
      type: 'string',
      multiple: true,
      help: 'a scope the key was made with (repeat)',
      arg: 'S',
    },
    'rotate-every': { type: 'string', help: 'rotation period in days', arg: 'DAYS' },
  },
  async run(ctx) {
    const rotateEvery = int(ctx.values, 'rotate-every') ?? null;
    const api = await ctx.api();
    const secret = await readSecretFromStdin(ctx.stdin, 'key');
    const change = await api['key.add']({
      ref: ctx.positionals[0]!,
      secret,
      scopes: list(ctx.values, 'scope'),
      rotateEvery,
    });
    ctx.out(ctx.json ? json(change) : describeChange(change));
  },
};

export const keyLs: Command = {
  name: 'key ls',
  args: '',
  summary: 'List keys: scopes, current version (fingerprint, last 4), age, state',
  positionals: 0,
  options: {},
  async run(ctx) {
    const keys = await (await ctx.api())['key.list']({});
    if (ctx.json) return ctx.out(json(keys));
    if (keys.length === 0)
      return ctx.out(
        'no keys yet; `keyway key create` (Quave) or `keyway key add` (dashboard-made)\n',
      );
    ctx.out(
      table([
        ['KEY', 'VENDOR', 'SCOPES', 'VERSION', 'AGE', 'STATE', 'ROTATE'],
        ...keys.map((k) => [
          k.ref,
          k.vendor,
          k.scopes.join(',') || '-',
          k.version ? `${k.version.fingerprint} …${k.version.last4}` : '-',
          k.version ? ago(k.version.created) : '-',
          k.refusedAt ? 'refused' : (k.version?.state ?? 'none'),
          k.rotateEvery ? `every ${k.rotateEvery}d` : '-',
        ]),
      ]),
    );
  },
};
