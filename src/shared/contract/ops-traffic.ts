/** The proxy's traffic over the last 24 h, kept in memory by the running instance. */
import { z } from 'zod';
import { returns } from './fields';
import type { TrafficHistoryView } from './traffic-views';

export const trafficOps = {
  'traffic.history': {
    summary:
      'Requests, errors and added proxy latency over the last 24 h, per connection and per client',
    input: z.object({ bucketMinutes: z.union([z.literal(1), z.literal(5)]).default(5) }).strict(),
    output: returns<TrafficHistoryView>(),
  },
} as const;
