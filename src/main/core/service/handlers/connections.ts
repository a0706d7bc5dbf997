import { KeywayError } from '../../../../shared/errors';
import type { Connection } from '../../../../shared/domain';
import {
  assertNewConnection,
  findAccount,
  findConnection,
  findKey,
  lookupKeyAccount,
} from '../../store/lookups';
import { explicitUpstream, upstreamForNewKey } from '../proxy-seam/connection-origin';
import { announce, commit, type Handlers, type ServiceContext } from '../service-context';
import { connectionView } from '../views/connection-view';

export function connectionHandlers(
  ctx: ServiceContext,
): Pick<
  Handlers,
  'connection.add' | 'connection.list' | 'connection.remove' | 'connection.update'
> {
  return {
    async 'connection.update'({ slug, ...patch }) {
      findConnection(ctx.store.current, slug);
      if (patch.key) findKey(ctx.store.current, patch.key);
      const updated = await ctx.store.update((d) => {
        const c = findConnection(d, slug);
        const previous = lookupKeyAccount(d, c.key);
        const keyRef = patch.key ?? c.key;
        const account = lookupKeyAccount(d, keyRef);
        if (!account) throw new KeywayError('not_found', `no account for key "${keyRef}"`, 'key');
        if (patch.transport !== undefined) c.transport = patch.transport;
        if (patch.upstream !== undefined) {
          // Given in the same change as the key (or for the current key): the user's choice.
          delete c.upstreamSetFor;
          Object.assign(c, explicitUpstream(patch.upstream, keyRef, account));
        } else if (keyRef !== c.key) {
          c.upstream = upstreamForNewKey(c, previous, keyRef, account);
          delete c.upstreamSetFor;
        }
        c.key = keyRef;
        return { ...c };
      });
      await announce(
        ctx,
        {
          event: 'connection.updated',
          key: updated.key,
          client: null,
          connection: slug,
          detail: { fields: Object.keys(patch) },
        },
        'connections',
      );
      return connectionView(ctx, updated);
    },

    async 'connection.add'(args) {
      const doc = ctx.store.current;
      assertNewConnection(doc, args.slug);
      const key = findKey(doc, args.key);
      const account = findAccount(doc, key.account);
      const connection: Connection = {
        slug: args.slug,
        key: key.ref,
        ...explicitUpstream(args.upstream ?? account.mcpUrl, key.ref, account),
        transport: args.transport,
        createdAt: ctx.now().toISOString(),
      };
      await commit(
        ctx,
        (d) => {
          d.connections.push(connection);
        },
        { event: 'connection.added', key: key.ref, client: null, connection: connection.slug },
        'connections',
      );
      return connectionView(ctx, connection);
    },

    async 'connection.list'() {
      return ctx.store.current.connections.map((c) => connectionView(ctx, c));
    },

    async 'connection.remove'({ slug, force }) {
      const connection = findConnection(ctx.store.current, slug);
      const clients = ctx.store.current.clients
        .filter((c) => c.connection === slug && !c.revokedAt)
        .map((c) => c.name);
      if (clients.length > 0 && !force) {
        throw new KeywayError(
          'conflict',
          `connection "${slug}" still has clients (${clients.join(', ')}); revoke them first`,
        );
      }
      await commit(
        ctx,
        (d) => {
          d.connections = d.connections.filter((c) => c.slug !== slug);
          d.clients = d.clients.filter((c) => c.connection !== slug);
        },
        { event: 'connection.removed', key: connection.key, client: null, connection: slug },
        'connections',
      );
      return { removed: slug, clients };
    },
  };
}
