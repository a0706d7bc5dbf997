import type { Handler, ProxyPort } from '../service/service-context';

/** The proxy's 24 h traffic history, for the overview's charts. */
export function trafficHandlers(proxy: Pick<ProxyPort, 'history'>): {
  'traffic.history': Handler<'traffic.history'>;
} {
  return {
    async 'traffic.history'({ bucketMinutes }) {
      return proxy.history(bucketMinutes);
    },
  };
}
