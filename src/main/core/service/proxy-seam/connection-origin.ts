import { KeywayError } from '../../../../shared/errors';
import type { Account, Connection } from '../../../../shared/domain';

/**
 * The containment rule: a key is sent only to its own account's MCP origin, unless the user set
 * the connection's upstream explicitly for that very key (`Connection.upstreamSetFor`). The
 * service applies it when a connection changes; the proxy checks it again on every request
 * (`ProxyKey.origin`), so a store written before the rule, an import or a race cannot bypass it.
 */

export function originOf(url: string): string {
  return new URL(url).origin;
}

/** The origin the connection may send its key's secret to. */
export function allowedOrigin(connection: Connection, account: Account): string {
  return connection.upstreamSetFor === connection.key
    ? originOf(connection.upstream)
    : originOf(account.mcpUrl);
}

/** `upstreamSetFor` for an upstream the user gave explicitly with `keyRef`: only when it is foreign. */
export function explicitUpstream(
  upstream: string,
  keyRef: string,
  account: Account,
): Pick<Connection, 'upstream' | 'upstreamSetFor'> {
  return originOf(upstream) === originOf(account.mcpUrl)
    ? { upstream }
    : { upstream, upstreamSetFor: keyRef };
}

/**
 * Where a connection forwards once its key changes to `keyRef` (of `next`) with no upstream in
 * the same change: a connection that followed its old account's MCP URL follows the new one; an
 * upstream of its own is kept when it is on the new account's origin, and refused otherwise.
 */
export function upstreamForNewKey(
  c: Connection,
  previous: Account | undefined,
  keyRef: string,
  next: Account,
): string {
  const followed = !c.upstreamSetFor && previous !== undefined && c.upstream === previous.mcpUrl;
  if (followed) return next.mcpUrl;
  if (originOf(c.upstream) === originOf(next.mcpUrl)) return c.upstream;
  throw new KeywayError(
    'bad_input',
    `connection "${c.slug}" forwards to ${originOf(c.upstream)}, but key ${keyRef} belongs to account "${next.name}" at ${originOf(next.mcpUrl)}; Keyway sends a key only to its own account's server: give the upstream for this key in the same change (--upstream URL)`,
    'upstream',
  );
}
