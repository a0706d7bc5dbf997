/**
 * The one contract. Every operation the UI, tray, CLI and web UI can perform is declared here
 * once: its name, the zod schema its input must pass before any handler runs, and its output
 * type. The HTTP control API, the IPC handlers, the preload bridge and the CLI's client are all
 * derived from this object, so a new operation is added in exactly one place.
 */
import { z } from 'zod';
import type {
  Account,
  AuditEntry,
  Client,
  Connection,
  Key,
  KeyVersion,
  McpTransport,
} from './domain';
import { VENDOR_IDS } from './domain';

/** Phantom marker: carries an output type through `typeof operations` without a runtime value. */
const returns = <T>(): T => undefined as T;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const accountName = z
  .string()
  .regex(
    NAME,
    'an account name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
export const keyRefSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a key is named ACCOUNT/KEY, e.g. work/claude',
  );
export const slugSchema = z
  .string()
  .regex(
    SLUG,
    'a connection slug is 1–64 lowercase letters, digits or "-", starting with a letter or digit',
  );
const clientName = z
  .string()
  .regex(
    NAME,
    'a client name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
const httpUrl = z
  .string()
  .refine((s) => /^https?:\/\/[^\s/]+/.test(s) && URL.canParse(s), 'must be an http(s) URL');
/** Secrets are never echoed back in an error, so their schema says only what is wrong. */
const secretValue = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'is longer than 4096 characters');
const scopes = z.array(z.string().min(1).max(200)).max(64);
const rotateEvery = z.number().int().min(1, 'is at least 1 day').max(3650).nullable();

export const vendorSchema = z.enum(VENDOR_IDS);
export const transportSchema = z.enum(['streamable-http', 'sse'] satisfies McpTransport[]);

export interface StepResult {
  step: string;
  ok: boolean;
  ms: number;
  message?: string;
}

export type KeyView = Omit<Key, 'versions'> & {
  version: KeyVersion | null;
  versions: KeyVersion[];
  serviceAccount: boolean;
};

export interface KeyChange {
  ref: string;
  version: KeyVersion;
  retired: KeyVersion | null;
  steps: StepResult[];
  warnings: string[];
}

export type ConnectionView = Connection & { url: string };
export type ClientView = Client;
export interface ClientCreated {
  name: string;
  connection: string;
  /** Shown once: only its hash is kept. */
  token: string;
}

export interface KeychainStatus {
  backend: string;
  reachable: boolean;
  message: string;
  fix?: string;
}

export interface ServiceStatus {
  version: string;
  dataDir: string;
  url: string | null;
  proxy: { running: boolean; port: number | null };
  keychain: KeychainStatus;
  counts: { accounts: number; keys: number; connections: number; clients: number };
}

export const operations = {
  status: {
    summary: 'Service status: data directory, proxy, keychain',
    input: z.object({}).strict(),
    output: returns<ServiceStatus>(),
  },
  'account.add': {
    summary: 'Add an account at a vendor; its management credential goes to the keychain',
    input: z
      .object({
        name: accountName,
        vendor: vendorSchema,
        apiUrl: httpUrl.optional(),
        mcpUrl: httpUrl.optional(),
        serviceAccount: z.boolean().default(false),
        serviceAccountInfo: z
          .object({
            role: z.string().max(100).optional(),
            projects: z.array(z.string().max(200)).max(100).optional(),
          })
          .strict()
          .optional(),
        credential: secretValue.optional(),
        credentialScopes: scopes.nullable().default(null),
        auth: z
          .object({
            header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'),
            prefix: z.string().max(32),
          })
          .strict()
          .optional(),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.list': {
    summary: 'List accounts',
    input: z.object({}).strict(),
    output: returns<Account[]>(),
  },
  'account.remove': {
    summary: 'Remove an account that has no keys; forgets its management credential',
    input: z.object({ name: accountName }).strict(),
    output: returns<{ removed: string }>(),
  },
  'key.add': {
    summary: 'Store a key made in the vendor dashboard',
    input: z
      .object({
        ref: keyRefSchema,
        secret: secretValue,
        scopes: scopes.optional(),
        rotateEvery: rotateEvery.default(null),
        expires: z.iso.datetime({ offset: true }).nullable().default(null),
      })
      .strict(),
    output: returns<KeyChange>(),
  },
  'key.list': {
    summary: 'List keys with their current version (never the secret)',
    input: z.object({}).strict(),
    output: returns<KeyView[]>(),
  },
  'key.remove': {
    summary: 'Forget a key locally (does not revoke it at the vendor)',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<{ removed: string }>(),
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
  'connection.list': {
    summary: 'List connections with their local URLs',
    input: z.object({}).strict(),
    output: returns<ConnectionView[]>(),
  },
  'connection.remove': {
    summary: 'Remove a connection that has no active clients',
    input: z.object({ slug: slugSchema }).strict(),
    output: returns<{ removed: string }>(),
  },
  'client.add': {
    summary: 'Allow a local AI client on a connection; its token is shown once',
    input: z.object({ name: clientName, connection: slugSchema }).strict(),
    output: returns<ClientCreated>(),
  },
  'client.list': {
    summary: 'List clients',
    input: z.object({}).strict(),
    output: returns<ClientView[]>(),
  },
  'client.revoke': {
    summary: 'Revoke a client: its token stops working at once, open sessions included',
    input: z.object({ name: clientName }).strict(),
    output: returns<ClientView>(),
  },
  'audit.list': {
    summary: 'Read the audit log, newest last',
    input: z
      .object({
        since: z.iso.datetime({ offset: true }).optional(),
        key: keyRefSchema.optional(),
        client: clientName.optional(),
        event: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    output: returns<AuditEntry[]>(),
  },
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
/** What a caller sends (defaults may be omitted). */
export type OpInput<N extends OpName> = z.input<Operations[N]['input']>;
/** What a handler receives, after validation and defaults. */
export type OpArgs<N extends OpName> = z.output<Operations[N]['input']>;
export type OpOutput<N extends OpName> = Operations[N]['output'];

export const OP_NAMES = Object.keys(operations) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(operations, name);
}

/** The API every shell offers: one async method per operation. */
export type KeywayApi = { [N in OpName]: (input: OpInput<N>) => Promise<OpOutput<N>> };

/** Events the service emits; shells forward them (IPC, SSE on the control API). */
export interface KeywayEvents {
  'state.changed': { what: 'accounts' | 'keys' | 'connections' | 'clients' | 'settings' };
  'audit.appended': AuditEntry;
  'key.refused': { key: string; versionId: string; status: number };
  'rotation.step': { key: string; rotationId: string } & StepResult;
}
export type EventName = keyof KeywayEvents;
export type KeywayEvent = { [E in EventName]: { type: E; payload: KeywayEvents[E] } }[EventName];
export const EVENT_NAMES: EventName[] = [
  'state.changed',
  'audit.appended',
  'key.refused',
  'rotation.step',
];
