import { KeywayError } from '../../../../shared/errors';
import { secretNames } from '../../keychain/secret-store';
import { revokeToken } from '../../oauth/oauth-revocation';
import { oauthKeyRef, oauthSecretNames } from '../../oauth/oauth-secrets';
import { lookupAccount, lookupKey } from '../../store/lookups';
import {
  checkNewOAuthAccount,
  oauthAccountRecords,
  saveOAuthAccount,
} from '../oauth-accounts/oauth-account-records';
import { awaitLogin, startLogin } from '../oauth-accounts/oauth-login';
import { refuseBrowserLogin } from '../oauth-accounts/client-credentials-token';
import { announce, type Handlers, type ServiceContext } from '../service-context';

export function oauthHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'account.addOAuth' | 'account.login' | 'account.awaitLogin' | 'account.logout'> {
  const oauth = ctx.oauth;
  return {
    async 'account.addOAuth'(args) {
      checkNewOAuthAccount(ctx, args.name, args.mcpUrl);
      if (args.clientSecret !== undefined && args.clientId === undefined)
        throw new KeywayError('bad_input', 'a client secret needs its --client-id', 'clientId');
      const { account, key } = oauthAccountRecords(
        args,
        {
          clientId: args.clientId ?? null,
          clientSource: args.clientId !== undefined ? 'pre-registered' : null,
          hasClientSecret: args.clientSecret !== undefined,
        },
        ctx.now().toISOString(),
      );
      const secretName = oauthSecretNames.clientSecret(ctx.secretScope, args.name);
      await saveOAuthAccount(
        ctx,
        { account, key },
        args.clientSecret === undefined
          ? undefined
          : { name: secretName, value: args.clientSecret },
      );
      await announce(
        ctx,
        {
          event: 'account.added',
          key: key.ref,
          client: null,
          account: args.name,
          detail: { vendor: 'custom', auth: 'oauth', clientId: args.clientId ?? null },
        },
        'accounts',
        'keys',
      );
      return account;
    },

    'account.login': ({ name, openBrowser }) => {
      refuseBrowserLogin(ctx, name); // a service account (client credentials) has no browser step
      return startLogin(oauth, name, openBrowser);
    },

    'account.awaitLogin': ({ name, loginId, waitMs }) => awaitLogin(oauth, name, loginId, waitMs),

    async 'account.logout'({ name }) {
      oauth.accountOrThrow(name);
      // One step of the account's state machine: a new generation first, so a refresh or a
      // login that is still out finds its result stale (and revokes it) whenever it lands.
      const { account, refreshToken, client } = await oauth.sessions.exclusive(name, async () => {
        oauth.sessions.advance(name);
        oauth.clearTimer(name);
        oauth.logins.cancelAccount(name, 'the account was logged out');
        const before = oauth.accountOrThrow(name);
        const refreshName = oauthSecretNames.refreshToken(ctx.secretScope, name);
        const token = await ctx.secrets.get(refreshName);
        const registered = await oauth.client(before).catch((err: unknown) => {
          ctx.log.debug(`no registered client of "${name}" to revoke its tokens with`, err);
          return undefined;
        });
        const key = lookupKey(ctx.store.current, oauthKeyRef(name));
        const ids = key?.versions.map((v) => v.id) ?? [];
        await ctx.store.update((d) => {
          const k = lookupKey(d, oauthKeyRef(name));
          if (k) k.versions = [];
          const o = lookupAccount(d, name)?.oauth;
          if (!o) return;
          o.state = 'signed-out';
          o.reason = null;
          o.expiresAt = null;
          o.subject = null;
          o.grantedScopes = [];
          if (o.clientSource === 'dynamic') {
            // The registered client goes too: nothing of this login stays behind.
            o.clientId = null;
            o.clientSource = null;
            o.hasClientSecret = false;
            o.redirectUri = null;
          }
        });
        await ctx.secrets.delete(refreshName);
        for (const id of ids) {
          await ctx.secrets.delete(secretNames.keyVersion(id));
          ctx.versions.forget(id);
        }
        if (before.oauth.clientSource !== 'pre-registered')
          await ctx.secrets.delete(oauthSecretNames.clientSecret(ctx.secretScope, name));
        return { account: before, refreshToken: token, client: registered };
      });
      let revokedAtServer = false;
      if (refreshToken && client && account.oauth.issuer) {
        // Revoking the refresh token ends the grant (RFC 7009 §2.1); the local session is
        // already gone, so a server that cannot be reached keeps nothing on this machine.
        revokedAtServer = await oauth
          .serverFacts(account)
          .then((facts) => revokeToken(facts.metadata, client, refreshToken, 'refresh_token'))
          .catch((err: unknown) => {
            ctx.log.debug(`could not revoke the refresh token of "${name}" at its server`, err);
            return false;
          });
      }
      await announce(
        ctx,
        {
          event: 'oauth.logout',
          key: oauthKeyRef(name),
          client: null,
          account: name,
          detail: { revokedAtServer },
        },
        'accounts',
        'keys',
      );
      return { account: oauth.accountOrThrow(name), revokedAtServer };
    },
  };
}
