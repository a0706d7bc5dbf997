import type { Account } from '../../shared/domain';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../cli-errors';
import { list, readSecretFromStdin, str } from '../cli-input';
import { json } from '../output';
import { openBrowser } from '../../main/core/oauth/browser-opener';
import { loginServiceAccount } from './client-credentials-commands';

/** `account add NAME --vendor custom --mcp-url URL --auth oauth …` (called from account add). */
export async function addOAuthAccount(ctx: CommandContext): Promise<void> {
  if (str(ctx.values, 'vendor') !== 'custom')
    throw new UsageError('--auth oauth works with --vendor custom (any MCP server)');
  const mcpUrl = str(ctx.values, 'mcp-url');
  if (!mcpUrl) throw new UsageError('--auth oauth needs --mcp-url URL (the MCP server)');
  const clientId = str(ctx.values, 'client-id');
  if (ctx.values['client-secret-stdin'] && !clientId)
    throw new UsageError('--client-secret-stdin needs --client-id');
  const api = await ctx.api();
  const clientSecret = ctx.values['client-secret-stdin']
    ? await readSecretFromStdin(ctx.stdin, 'client secret')
    : undefined;
  const account = await api['account.addOAuth']({
    name: ctx.positionals[0]!,
    mcpUrl,
    clientId,
    clientSecret,
    scopes: list(ctx.values, 'scope') ?? [],
    serviceAccount: ctx.values['service-account'] === true,
  });
  ctx.out(
    ctx.json
      ? json(account)
      : `added OAuth account ${account.name} (key ${account.name}/oauth); next: keyway account login ${account.name}\n`,
  );
}

/** What `account ls` and `account login` say about an OAuth account, one line. */
export function oauthStateLine(a: Account): string {
  const o = a.oauth;
  if (!o) return '-';
  if (o.state === 'needs-login')
    return `needs login${o.wantedScopes.length ? ` (more scopes: ${o.wantedScopes.join(' ')})` : ''}`;
  if (o.state === 'signed-out') return 'signed out';
  const who = o.subject ? ` as ${o.subject}` : '';
  return `signed in${who}${o.expiresAt ? `, token expires ${o.expiresAt}` : ''}`;
}

export const accountLogin: Command = {
  name: 'account login',
  args: 'NAME',
  summary: 'Log in to an OAuth account in the browser; Keyway keeps its tokens in the OS keychain',
  details:
    'Opens the authorization URL with $BROWSER when set (the URL as its one argument), else the\n' +
    'OS\'s opener; --no-browser only prints it. With --json the first line is {"authorize":"URL"}.\n' +
    "Waits for the redirect to Keyway's loopback callback: exit 0 once the tokens are in the\n" +
    "keychain, 1 with the server's error otherwise. Needs a running Keyway (keyway serve or the app).",
  positionals: 1,
  options: {
    'no-browser': { type: 'boolean', help: 'print the authorization URL, do not open a browser' },
  },
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const api = await ctx.api();
    const serviceAccount = await loginServiceAccount(ctx, api, name); // client credentials
    if (serviceAccount !== undefined) return serviceAccount;
    const started = await api['account.login']({ name, openBrowser: false });
    ctx.out(
      ctx.json
        ? `${JSON.stringify({ authorize: started.authorize })}\n`
        : `Open this URL to log in to ${name}:\n  ${started.authorize}\n`,
    );
    if (!ctx.values['no-browser']) {
      // The CLI opens it itself: $BROWSER is the user's setting in this shell, not the service's.
      await openBrowser(started.authorize).catch((err: unknown) =>
        ctx.err(
          `keyway: could not open a browser (${(err as Error).message}); open the URL above\n`,
        ),
      );
    }
    for (;;) {
      const outcome = await api['account.awaitLogin']({ name, loginId: started.loginId });
      if (!outcome.done) continue;
      if (!outcome.ok) {
        ctx.err(`keyway: login to ${name} failed: ${outcome.error}\n`);
        if (ctx.json) ctx.out(`${JSON.stringify({ ok: false, error: outcome.error })}\n`);
        return 1;
      }
      ctx.out(
        ctx.json
          ? `${JSON.stringify({ ok: true, account: outcome.account })}\n`
          : `logged in: ${name} ${oauthStateLine(outcome.account)}\n`,
      );
      return 0;
    }
  },
};

export const accountLogout: Command = {
  name: 'account logout',
  args: 'NAME',
  summary: 'Revoke an OAuth account’s tokens where the server can, then forget them',
  positionals: 1,
  options: {},
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const result = await (await ctx.api())['account.logout']({ name });
    ctx.out(
      ctx.json
        ? json(result)
        : `logged out of ${name}; tokens forgotten${result.revokedAtServer ? ', revoked at the server' : ' (the server offers no revocation)'}\n`,
    );
  },
};
