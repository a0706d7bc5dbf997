/** Proxy routes, the AI clients allowed on them, and the proxy itself. */
import { z } from 'zod';
import {
  returns,
  keyRefSchema,
  slugSchema,
  clientName,
  httpUrl,
  noInput,
  transportSchema,
} from './fields';
import type { ConnectionView, ClientView, ClientCreated, ProxyStats, ServiceStatus } from './views';

export const connectionOps = {
  'proxy.setPaused': {
    summary: 'Pause the proxy (clients get 503 and their sessions end) or resume it',
    input: z.object({ paused: z.boolean() }).strict(),
    output: returns<ServiceStatus>(),
  },
  'connection.stats': {
    summary:
      'Proxy counters per connection and per client: requests, errors, last used, key version',
    input: noInput,
    output: returns<ProxyStats>(),
  },
  'connection.add': {
    summary: 'Add a local proxy route for a key',
    input: z
      .object({
        slug: slugSchema,
        key: keyRefSchema,
        upstream: httpUrl.optional(),
        transport: transportSchema.default('streamable-http'),
      })
      .strict(),
    output: returns<ConnectionView>(),
  },
  'connection.update': {
    summary:
      'Point a connection at another key, upstream URL or transport (clients keep their tokens)',
    input: z
      .object({
        slug: slugSchema,
        key: keyRefSchema.optional(),
        upstream: httpUrl.optional(),
        transport: transportSchema.optional(),
      })
      .strict(),
    output: returns<ConnectionView>(),
  },
  'connection.list': {
    summary: 'List connections with their local URLs',
    input: noInput,
    output: returns<ConnectionView[]>(),
  },
  'connection.remove': {
    summary:
      'Remove a connection that has no active clients; force: remove it with its clients, whose tokens stop reaching anything at once',
    input: z.object({ slug: slugSchema, force: z.boolean().default(false) }).strict(),
    output: returns<{ removed: string; clients: string[] }>(),
  },
  'client.add': {
    summary: 'Allow a local AI client on a connection; its token is shown once',
    input: z.object({ name: clientName, connection: slugSchema }).strict(),
    output: returns<ClientCreated>(),
  },
  'client.rotateToken': {
    summary: 'Give a client a new local token (shown once); the old one stops working at once',
    input: z.object({ name: clientName }).strict(),
    output: returns<ClientCreated>(),
  },
  'client.remove': {
    summary: 'Forget a client (revoking it first if it is still active), freeing its name',
    input: z.object({ name: clientName }).strict(),
    output: returns<{ removed: string }>(),
  },
  'client.list': {
    summary: 'List clients',
    input: noInput,
    output: returns<ClientView[]>(),
  },
  'client.checkToken': {
    summary:
      "Whether a token (read from a client's config file) is that client's current token; compared with the stored hash",
    input: z.object({ name: clientName, token: z.string().min(1).max(512) }).strict(),
    output: returns<{ current: boolean }>(),
  },
  'client.revoke': {
    summary: 'Revoke a client: its token stops working at once, open sessions included',
    input: z.object({ name: clientName }).strict(),
    output: returns<ClientView>(),
  },
} as const;
