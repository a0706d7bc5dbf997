import type { ConnectionView } from '../../../../shared/contract';
import type { Connection } from '../../../../shared/domain';
import type { ServiceContext } from '../service-context';

/** A connection as the shells show it: with the proxy URL its clients use. */
export function connectionView(ctx: ServiceContext, c: Connection): ConnectionView {
  const base = ctx.runtime().baseUrl ?? `http://127.0.0.1:${ctx.store.current.settings.proxyPort}`;
  return { ...c, url: `${base}/mcp/${c.slug}` };
}
