import { KeywayError } from '../../../../shared/errors';
import type { Account } from '../../../../shared/domain';
import { secretNames } from '../../keychain/secret-store';
import { clientKeySecretName } from '../../oauth/client-credentials-grant';
import { oauthSecretNames } from '../../oauth/oauth-secrets';
import { assertNewAccount, findAccount } from '../../store/lookups';
import { announce, commit, record, type Handlers, type ServiceContext } from '../service-context';

export function accountHandlers(
  ctx: ServiceContext,
): Pick<
  Handlers,
  'account.add' | 'account.list' | 'account.remove' | 'account.update' | 'account.setCredential'
> {
  return {
    async 'account.setCredential'({ name, credential, credentialScopes }) {
      findAccount(ctx.store.current, name);
      // Replacing in place: the keychain entry is overwritten, never left half-written.
      await ctx.secrets.set(secretNames.credential(ctx.secretScope, name), credential);
      return commit(
        ctx,
        (doc) => {
          const a = findAccount(doc, name);
          a.hasCredential = true;
          a.credentialScopes = credentialScopes;
          return { ...a };
        },
        { event: 'account.credential-set', key: null, client: null, account: name },
        'accounts',
      );
    },

    async 'account.update'({ name, ...patch }) {
      findAccount(ctx.store.current, name);
      const updated = await ctx.store.update((doc) => {
        const a = findAccount(doc, name);
        if (patch.apiUrl !== undefined) a.apiUrl = patch.apiUrl;
        if (patch.mcpUrl !== undefined && patch.mcpUrl !== a.mcpUrl) {
          // Connections that forward to the account's MCP URL follow it (and its keys go only
          // there); one with an upstream of its own keeps it, and the proxy holds it to the rule.
          const keys = new Set(doc.keys.filter((k) => k.account === name).map((k) => k.ref));
          for (const c of doc.connections) {
            if (keys.has(c.key) && !c.upstreamSetFor && c.upstream === a.mcpUrl)
              c.upstream = patch.mcpUrl;
          }
          a.mcpUrl = patch.mcpUrl;
        }
        if (patch.serviceAccount !== undefined) a.serviceAccount = patch.serviceAccount;
        if (patch.serviceAccountInfo !== undefined) a.serviceAccountInfo = patch.serviceAccountInfo;
        return { ...a };
      });
      await announce(
        ctx,
        {
          event: 'account.updated',
          key: null,
          client: null,
          account: name,
          detail: { fields: Object.keys(patch) },
        },
        'accounts',
        ...(patch.mcpUrl !== undefined ? (['connections'] as const) : []),
      );
      return updated;
    },

    async 'account.add'(args) {
      assertNewAccount(ctx.store.current, args.name);
      const vendor = ctx.vendor(args.vendor);
      if (args.vendor === 'custom' && !args.mcpUrl) {
        throw new KeywayError(
          'bad_input',
          'a custom vendor needs the URL of its MCP server (--mcp-url)',
          'mcpUrl',
        );
      }
      const account: Account = {
        name: args.name,
        vendor: args.vendor,
        apiUrl: args.apiUrl ?? vendor.defaults.apiUrl,
        mcpUrl: args.mcpUrl ?? vendor.defaults.mcpUrl,
        serviceAccount: args.serviceAccount,
        ...(args.serviceAccountInfo ? { serviceAccountInfo: args.serviceAccountInfo } : {}),
        hasCredential: args.credential !== undefined,
        credentialScopes: args.credentialScopes,
        ...(args.auth ? { auth: args.auth } : {}),
        createdAt: ctx.now().toISOString(),
      };
      // The credential reaches the keychain before the account exists, so an account never
      // claims a credential that is not there.
      if (args.credential !== undefined)
        await ctx.secrets.set(secretNames.credential(ctx.secretScope, args.name), args.credential);
      try {
        await ctx.store.update((doc) => {
          doc.accounts.push(account);
        });
      } catch (err) {
        if (args.credential !== undefined)
          await ctx.secrets.delete(secretNames.credential(ctx.secretScope, args.name));
        throw err;
      }
      await announce(
        ctx,
        {
          event: 'account.added',
          key: null,
          client: null,
          account: account.name,
          detail: { vendor: account.vendor },
        },
        'accounts',
      );
      return account;
    },

    async 'account.list'() {
      return ctx.store.current.accounts.map((a) => ({ ...a }));
    },

    async 'account.remove'({ name, force }) {
      const account = findAccount(ctx.store.current, name);
      const keys = ctx.store.current.keys.filter((k) => k.account === name);
      const refs = keys.map((k) => k.ref);
      const connections = ctx.store.current.connections.filter((c) => refs.includes(c.key));
      const slugs = connections.map((c) => c.slug);
      if (keys.length > 0 && !force) {
        const via = slugs.length > 0 ? `, used by connection(s) ${slugs.join(', ')}` : '';
        throw new KeywayError(
          'conflict',
          `account "${name}" still has keys (${refs.join(', ')})${via}; revoke or remove them first, or remove the account with its connections and keys`,
        );
      }
      // Forced: the connections (and their clients) go first, so no route points at a key that
      // is gone; the keys are forgotten locally only — they stay live at the vendor.
      await ctx.store.update((doc) => {
        doc.connections = doc.connections.filter((c) => !slugs.includes(c.slug));
        doc.clients = doc.clients.filter((c) => !slugs.includes(c.connection));
        doc.keys = doc.keys.filter((k) => k.account !== name);
      });
      for (const key of keys)
        for (const v of key.versions) await ctx.secrets.delete(secretNames.keyVersion(v.id));
      for (const c of connections)
        await record(ctx, {
          event: 'connection.removed',
          key: c.key,
          client: null,
          connection: c.slug,
        });
      for (const ref of refs)
        await record(ctx, { event: 'key.removed', key: ref, client: null, account: name });
      await ctx.store.update((doc) => {
        doc.accounts = doc.accounts.filter((a) => a.name !== name);
      });
      if (account.hasCredential)
        await ctx.secrets.delete(secretNames.credential(ctx.secretScope, name));
      // An OAuth account's own secrets go with it: nothing of it may stay in the keychain.
      if (account.oauth)
        for (const secret of [
          oauthSecretNames.refreshToken(ctx.secretScope, name),
          oauthSecretNames.clientSecret(ctx.secretScope, name),
          clientKeySecretName(ctx.secretScope, name),
        ])
          await ctx.secrets.delete(secret);
      await announce(
        ctx,
        { event: 'account.removed', key: null, client: null, account: name },
        'accounts',
      );
      return { removed: name, connections: slugs, keys: refs };
    },
  };
}
