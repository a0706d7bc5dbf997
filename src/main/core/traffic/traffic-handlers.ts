import type { TrafficHistoryView } from '../../../shared/contract';
import type { Handler, ServiceContext } from '../service/service-context';

const EMPTY = (bucketMinutes: number, now: number): TrafficHistoryView => ({
  bucketMs: bucketMinutes * 60_000,
  from: now - 24 * 3_600_000,
  to: now,
  connections: [],
  clients: [],
});

export function trafficHandlers(ctx: ServiceContext): {
  'traffic.history': Handler<'traffic.history'>;
} {
  return {
    async 'traffic.history'({ bucketMinutes }) {
      // No proxy in this instance (a test's bare service): an empty day, not an error.
      return ctx.hooks.trafficHistory?.(bucketMinutes) ?? EMPTY(bucketMinutes, ctx.now().getTime());
    },
  };
}
