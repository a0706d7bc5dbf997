import type { Command } from '../command';
import { int, list, readSecretFromStdin, rotatePeriod } from '../cli-input';
import { UsageError } from '../cli-errors';
import { ago, json, table } from '../output';
import type { KeyChange } from '../../shared/contract';

function describeChange(change: KeyChange): string {
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
    'rotate-every': {
      type: 'string',
      help: 'rotation period in days, or never; default: the period set in Settings',
      arg: 'DAYS|never',
    },
  },
  async run(ctx) {
    if (!ctx.values['secret-stdin'])
      throw new UsageError(
        '--secret-stdin is required: Keyway reads keys only from standard input',
      );
    const rotateEvery = rotatePeriod(ctx.values);
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
          k.rotateEvery
            ? `every ${k.rotateEvery}d`
            : k.version?.expires
              ? `expires ${k.version.expires}` // an OAuth access token: refreshed before then
              : '-',
        ]),
      ]),
    );
  },
};

export const keyCreate: Command = {
  name: 'key create',
  args: 'ACCOUNT/KEY',
  summary: 'Mint a key at a vendor with a key API (Quave), verify it, store it in the keychain',
  details:
    "Scopes are checked against what the account's management credential can grant before any call:\n" +
    '  keyway key create team/ci --scope quave:read --scope quave:write:config --rotate-every 30\n' +
    'Next: `keyway connection add SLUG --key ACCOUNT/KEY`.',
  positionals: 1,
  options: {
    scope: {
      type: 'string',
      multiple: true,
      help: "a scope for the key (repeat); default: the vendor's default",
      arg: 'S',
    },
    'security-level': { type: 'string', help: 'Quave: relaxed, balanced or strict', arg: 'L' },
    'session-duration': {
      type: 'string',
      help: 'Quave: MCP session length in seconds',
      arg: 'SECONDS',
    },
    'rotate-every': {
      type: 'string',
      help: 'rotate automatically every DAYS days, or never; default: the period set in Settings',
      arg: 'DAYS|never',
    },
  },
  async run(ctx) {
    const input = {
      ref: ctx.positionals[0]!,
      scopes: list(ctx.values, 'scope') ?? [],
      securityLevel:
        typeof ctx.values['security-level'] === 'string' ? ctx.values['security-level'] : undefined,
      sessionDuration: int(ctx.values, 'session-duration'),
      rotateEvery: rotatePeriod(ctx.values),
    };
    const change = await (await ctx.api())['key.create'](input);
    ctx.out(ctx.json ? json(change) : describeChange(change));
  },
};

export const keyRotate: Command = {
  name: 'key rotate',
  args: 'ACCOUNT/KEY',
  summary: 'Rotate a key: swap in a new one before the old one is revoked; sessions stay open',
  details:
    'API vendors (Quave): Keyway mints, verifies, swaps, drains, then revokes the old key.\n' +
    'Dashboard vendors: make the new key in the dashboard and pipe it in with --secret-stdin; Keyway\n' +
    'verifies and swaps it, then asks you to revoke the old key. Run `keyway key rotate ACCOUNT/KEY`\n' +
    'again (no stdin) once you have: Keyway checks the vendor refuses the old key, then forgets it.',
  positionals: 1,
  options: {
    'secret-stdin': {
      type: 'boolean',
      help: 'read the new key from standard input (dashboard vendors)',
    },
  },
  async run(ctx) {
    const api = await ctx.api();
    const ref = ctx.positionals[0]!;
    if (!ctx.values['secret-stdin']) {
      const pending = (await api['rotation.list']({})).find((r) => r.key === ref);
      if (pending?.waitingFor === 'user-revoke') {
        const left = await api['rotation.confirmRevoked']({ ref });
        if (ctx.json) return ctx.out(json({ ref, done: left === null, rotation: left }));
        if (left) {
          ctx.err(`keyway key rotate: ${left.message ?? 'the old key is still accepted'}\n`);
          return 1;
        }
        return ctx.out(
          `${ref}: the old key is refused by the vendor and forgotten; rotation complete\n`,
        );
      }
    }
    const secret = ctx.values['secret-stdin']
      ? await readSecretFromStdin(ctx.stdin, 'new key')
      : undefined;
    const change = await api['key.rotate']({ ref, secret });
    if (ctx.json) return ctx.out(json(change));
    const lines = change.steps.map(
      (s) => `  ${s.ok ? '✓' : '✗'} ${s.step} ${s.ms} ms${s.message ? ` — ${s.message}` : ''}`,
    );
    ctx.out(`${lines.join('\n')}\n${describeChange(change)}`);
  },
};

export const keyRemove: Command = {
  name: 'key remove',
  args: 'ACCOUNT/KEY',
  summary: 'Forget a key locally (it stays live at the vendor: revoke it first if you mean that)',
  positionals: 1,
  options: {},
  async run(ctx) {
    const result = await (await ctx.api())['key.remove']({ ref: ctx.positionals[0]! });
    ctx.out(ctx.json ? json(result) : `removed ${result.removed}\n`);
  },
};
