import { z } from 'zod';
import {
  accountName,
  authSchemeSchema,
  clientName,
  httpUrl,
  keyRefSchema,
  slugSchema,
  transportSchema,
  vendorSchema,
} from '../../shared/contract';
import { CLIENT_KINDS, type ClientKind } from '../../shared/client-config';

/**
 * The team manifest (`keyway provision FILE`): the desired accounts, keys, connections and
 * clients, and never a secret. Every object is strict, so a misspelt field is an error with its
 * line rather than a setting silently ignored.
 */

const scope = z.string().min(1, 'a scope is not empty').max(200);
const scopeList = z.array(scope).max(64);

const manifestAccountSchema = z
  .object({
    name: accountName,
    vendor: vendorSchema,
    apiUrl: httpUrl.optional(),
    mcpUrl: httpUrl.optional(),
    serviceAccount: z.boolean().optional(),
    /** What the user says the dedicated user is, e.g. Specivo's Agent role on some projects. */
    role: z.string().min(1).max(100).optional(),
    projects: z.array(z.string().min(1).max(200)).max(100).optional(),
    /** Scopes the management credential itself holds, when it is a scoped key. */
    credentialScopes: scopeList.optional(),
    /**
     * Custom vendor: the header and prefix its server expects; `oauth` for an account that
     * signs in with OAuth 2.1 (no key to paste: each teammate logs in); or `client-credentials`,
     * an agent's service account at an OAuth-protected MCP server (its secret or key on stdin).
     */
    auth: z
      .union([z.literal('oauth'), z.literal('client-credentials'), authSchemeSchema])
      .optional(),
    /** oauth: a client ID registered in advance; client-credentials: the service account's client. */
    clientId: z.string().min(1).max(512).optional(),
    /** client-credentials: the scopes its tokens are asked for. */
    scopes: scopeList.optional(),
  })
  .strict();

const manifestKeySchema = z
  .object({
    ref: keyRefSchema,
    scopes: scopeList.optional(),
    securityLevel: z.string().min(1).max(32).optional(),
    sessionDuration: z.number().int().positive().max(31_536_000).optional(),
    /** Days between rotations; null or absent: never. */
    rotateEvery: z.number().int().min(1, 'is at least 1 day').max(3650).nullable().optional(),
  })
  .strict();

const manifestConnectionSchema = z
  .object({
    slug: slugSchema,
    key: keyRefSchema,
    upstream: httpUrl.optional(),
    transport: transportSchema.optional(),
  })
  .strict();

const manifestClientSchema = z
  .object({
    name: clientName,
    connection: slugSchema,
    for: z.enum(CLIENT_KINDS.map((c) => c.kind) as [ClientKind, ...ClientKind[]]).optional(),
  })
  .strict();

export const manifestTopSchema = z
  .object({
    version: z.literal(1, 'the only manifest version is 1').optional(),
    accounts: z.array(z.unknown()).optional(),
    keys: z.array(z.unknown()).optional(),
    connections: z.array(z.unknown()).optional(),
    clients: z.array(z.unknown()).optional(),
  })
  .strict();

export type ManifestAccount = z.infer<typeof manifestAccountSchema>;
export type ManifestKey = z.infer<typeof manifestKeySchema>;
export type ManifestConnection = z.infer<typeof manifestConnectionSchema>;
export type ManifestClient = z.infer<typeof manifestClientSchema>;

export type Section = 'accounts' | 'keys' | 'connections' | 'clients';
export const SECTIONS: Section[] = ['accounts', 'keys', 'connections', 'clients'];

/** Each item with its index in the file, so later checks can point at its line. */
interface Indexed<T> {
  index: number;
  item: T;
}

export interface Manifest {
  accounts: Array<Indexed<ManifestAccount>>;
  keys: Array<Indexed<ManifestKey>>;
  connections: Array<Indexed<ManifestConnection>>;
  clients: Array<Indexed<ManifestClient>>;
}

export const ITEM_SCHEMAS = {
  accounts: manifestAccountSchema,
  keys: manifestKeySchema,
  connections: manifestConnectionSchema,
  clients: manifestClientSchema,
} as const;

/** The field that names an item in each section. */
export const NAME_FIELD: Record<Section, string> = {
  accounts: 'name',
  keys: 'ref',
  connections: 'slug',
  clients: 'name',
};
