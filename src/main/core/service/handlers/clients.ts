import { KeywayError } from '../../../../shared/errors';
import { newLocalToken, sha256Hex, tokenMatchesHash } from '../../secret-facts';
import type { StoredClient } from '../../store/store-document';
import {
  assertNewClient,
  findClient,
  findConnection,
  lookupClient,
  lookupConnection,
} from '../../store/lookups';
import {
  announce,
  commit,
  type Handlers,
  type ProxyPort,
  type ServiceContext,
} from '../service-context';
import { clientView } from '../views/client-view';

export function clientHandlers(
  ctx: ServiceContext,
  proxy: Pick<ProxyPort, 'endClient'>,
): Pick<
  Handlers,
  | 'client.add'
  | 'client.list'
  | 'client.revoke'
  | 'client.rotateToken'
  | 'client.remove'
  | 'client.checkToken'
> {
  return {
    async 'client.checkToken'({ name, token }) {
      const client = findClient(ctx.store.current, name);
      return { current: !client.revokedAt && tokenMatchesHash(token, client.tokenHash) };
    },

    async 'client.remove'({ name }) {
      const client = findClient(ctx.store.current, name);
      await ctx.store.update((d) => {
        d.clients = d.clients.filter((c) => c.name !== name);
      });
      // Its token is gone with its hash; any session still open ends now.
      proxy.endClient(name);
      await announce(
        ctx,
        { event: 'client.removed', key: null, client: name, connection: client.connection },
        'clients',
      );
      return { removed: name };
    },

    async 'client.rotateToken'({ name }) {
      const client = findClient(ctx.store.current, name);
      if (client.revokedAt)
        throw new KeywayError('conflict', `client "${name}" is revoked; add a new client instead`);
      const token = newLocalToken('kwc');
      await ctx.store.update((d) => {
        const c = lookupClient(d, name);
        if (c) c.tokenHash = sha256Hex(token);
      });
      // Sessions opened with the old token end now; the client reconnects with the new one.
      proxy.endClient(name);
      await announce(
        ctx,
        { event: 'client.token-rotated', key: null, client: name, connection: client.connection },
        'clients',
      );
      return { name, connection: client.connection, token };
    },

    async 'client.add'(args) {
      const doc = ctx.store.current;
      assertNewClient(doc, args.name);
      const connection = findConnection(doc, args.connection);
      const token = newLocalToken('kwc');
      const client: StoredClient = {
        name: args.name,
        connection: connection.slug,
        createdAt: ctx.now().toISOString(),
        revokedAt: null,
        tokenHash: sha256Hex(token),
      };
      await commit(
        ctx,
        (d) => {
          d.clients.push(client);
        },
        {
          event: 'client.added',
          key: connection.key,
          client: client.name,
          connection: connection.slug,
        },
        'clients',
      );
      return { name: client.name, connection: client.connection, token };
    },

    async 'client.list'() {
      return ctx.store.current.clients.map(clientView);
    },

    async 'client.revoke'({ name }) {
      const client = findClient(ctx.store.current, name);
      if (client.revokedAt) return clientView(client);
      const revokedAt = ctx.now().toISOString();
      const updated = await ctx.store.update((d) => {
        const c = lookupClient(d, name);
        if (c) c.revokedAt = revokedAt;
        return c;
      });
      // Open sessions end now, not at their next request.
      proxy.endClient(name);
      const connection = lookupConnection(ctx.store.current, client.connection);
      await announce(
        ctx,
        {
          event: 'client.revoked',
          key: connection?.key ?? null,
          client: name,
          connection: client.connection,
        },
        'clients',
      );
      return clientView(updated ?? client);
    },
  };
}
