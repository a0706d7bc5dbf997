import type { Key } from '../../../../shared/domain';
import type { ProxyRoute } from '../../proxy/proxy-backend';
import { sha256Hex } from '../../secret-facts';
import { lookupAccount, lookupKey } from '../../store/lookups';
import type { StoreDocument } from '../../store/store-document';
import type { ServiceContext } from '../service-context';
import { allowedOrigin } from './connection-origin';
import { oauthAccountOf } from './oauth-proxy-link';
import { oauthKeyRef } from '../../oauth/oauth-secrets';

interface RouteEntry {
  route: ProxyRoute;
  /** The connection's key, as stored in this document (its versions say which one is current). */
  key: Key;
  /** The OAuth account whose access token the key holds, if it is one. */
  oauthAccount: string | undefined;
  /** The only origin the key may be sent to (see connection-origin.ts). */
  origin: string | undefined;
}

interface ClientEntry {
  name: string;
  connection: string;
}

/**
 * What the proxy asks of the store on every request, resolved once per store document: the
 * store replaces its document on every write, so a table built for one document is exact until
 * the next write and is rebuilt on the first request after it. A rotation's swap is a write, so
 * the very next request reads the new current version (the key is read per request, from here).
 */
export class ProxyRoutes {
  private doc: Readonly<StoreDocument> | undefined;
  private routes = new Map<string, RouteEntry>();
  private clients = new Map<string, ClientEntry>();

  constructor(private readonly ctx: ServiceContext) {}

  entry(slug: string): RouteEntry | undefined {
    this.refresh();
    return this.routes.get(slug);
  }

  /**
   * One hash per request, looked up by its value. The lookup compares hashes, not tokens: its
   * timing says nothing that helps find a token, and a revoked client is not in the map at all.
   */
  client(slug: string, token: string): string | undefined {
    this.refresh();
    const found = this.clients.get(sha256Hex(token));
    return found && found.connection === slug ? found.name : undefined;
  }

  private refresh(): void {
    const doc = this.ctx.store.current;
    if (doc === this.doc) return;
    const routes = new Map<string, RouteEntry>();
    for (const connection of doc.connections) {
      const key = lookupKey(doc, connection.key);
      const account = key && lookupAccount(doc, key.account);
      if (!key || !account) continue;
      routes.set(connection.slug, {
        route: {
          slug: connection.slug,
          upstream: new URL(connection.upstream),
          transport: connection.transport,
          auth: account.auth ?? this.ctx.vendor(account.vendor).defaultAuth,
          // An OAuth token is renewed by logging in, never by rotating: the refusal says which.
          credential:
            account.oauth && key.ref === oauthKeyRef(account.name)
              ? { kind: 'oauth', account: account.name }
              : { kind: 'api-key' },
        },
        key,
        oauthAccount: oauthAccountOf(this.ctx, connection.slug),
        origin: allowedOrigin(connection, account),
      });
    }
    const clients = new Map<string, ClientEntry>();
    for (const c of doc.clients)
      if (!c.revokedAt) clients.set(c.tokenHash, { name: c.name, connection: c.connection });
    this.doc = doc;
    this.routes = routes;
    this.clients = clients;
  }
}
