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
  ScopeInfo,
  VendorId,
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
export const clientName = z
  .string()
  .regex(
    NAME,
    'a client name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
export const httpUrl = z
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
/** A custom vendor's header and the text before the key in it. */
export const authSchemeSchema = z
  .object({
    header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'),
    prefix: z.string().max(32),
  })
  .strict();
/** Operations that take nothing still refuse unknown fields. */
const noInput = z.object({}).strict();
const serviceAccountInfoSchema = z
  .object({
    role: z.string().max(100).optional(),
    projects: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict();
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

export interface GuidedSteps {
  dashboardUrl: string;
  createSteps: string[];
  revokeSteps: string[];
}

/** What the UI needs to know about a vendor before any call: scopes, lifecycle, key format. */
export interface VendorInfo {
  id: VendorId;
  displayName: string;
  defaults: { apiUrl: string; mcpUrl: string };
  scopes: ScopeInfo[];
  defaultScopes: string[];
  capabilities: { mint: boolean; revoke: boolean; list: boolean };
  guided: GuidedSteps | null;
  /** What a service account is at this vendor, in the vendor's own terms. */
  serviceAccountNote: string;
}

export interface ScopeCheckView {
  scope: string;
  grantable: boolean;
  reason?: string;
}

export interface ScopeReport {
  /** The scopes the key would really get (e.g. Quave always adds quave:read). */
  normalized: string[];
  checks: ScopeCheckView[];
  warnings: string[];
  /** Why the account's credential cannot mint at all; empty when it can. */
  credentialProblems: string[];
  /** Guided steps with the dashboard URL on this account's host. */
  guided: GuidedSteps | null;
}

export interface FormatReport {
  ok: boolean;
  warnings: string[];
  reason?: string;
}

export interface KeyRevoked {
  ref: string;
  revoked: KeyVersion[];
  steps: StepResult[];
}

export interface ProxyCountersView {
  requests: number;
  errors: number;
  lastUsed: string | null;
  keyVersion: string | null;
}

export interface ProxyStats {
  connections: Record<string, ProxyCountersView>;
  clients: Record<string, ProxyCountersView>;
}

export interface SettingsView {
  proxyPort: number;
  defaultRotateEvery: number | null;
  launchAtLogin: boolean;
  /** Whether this shell can change launch-at-login (the desktop app can; `keyway serve` cannot). */
  launchAtLoginSupported: boolean;
}

/** A rotation in progress or waiting on the user (guided vendors) or on a retry (revoke). */
export interface RotationView {
  id: string;
  key: string;
  step: string;
  startedAt: string;
  updatedAt: string;
  /** What the user must do next, if anything (e.g. revoke the old key in the dashboard). */
  waitingFor: 'paste' | 'user-revoke' | 'revoke-retry' | null;
  message: string | null;
  guided: GuidedSteps | null;
  oldVersion: KeyVersion | null;
  newVersion: KeyVersion | null;
  nextRetryAt: string | null;
}

export interface ServiceStatus {
  version: string;
  dataDir: string;
  url: string | null;
  proxy: { running: boolean; paused: boolean; port: number | null };
  keychain: KeychainStatus;
  counts: { accounts: number; keys: number; connections: number; clients: number };
}

export const operations = {
  status: {
    summary: 'Service status: data directory, proxy, keychain',
    input: noInput,
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
        serviceAccountInfo: serviceAccountInfoSchema.optional(),
        credential: secretValue.optional(),
        credentialScopes: scopes.nullable().default(null),
        auth: authSchemeSchema.optional(),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.update': {
    summary:
      "Change an account's settings (URLs, service-account facts); credentials are not changed here",
    input: z
      .object({
        name: accountName,
        apiUrl: httpUrl.optional(),
        mcpUrl: httpUrl.optional(),
        serviceAccount: z.boolean().optional(),
        serviceAccountInfo: serviceAccountInfoSchema.optional(),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.setCredential': {
    summary: "Add or replace an account's management credential (kept in the OS keychain)",
    input: z
      .object({
        name: accountName,
        credential: secretValue,
        credentialScopes: scopes.nullable().default(null),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.list': {
    summary: 'List accounts',
    input: noInput,
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
  'key.create': {
    summary: 'Mint a key at a vendor with a key API (Quave) and store it in the keychain',
    input: z
      .object({
        ref: keyRefSchema,
        scopes: scopes.default([]),
        securityLevel: z.string().min(1).max(32).optional(),
        sessionDuration: z.number().int().positive().max(31_536_000).optional(),
        rotateEvery: rotateEvery.default(null),
      })
      .strict(),
    output: returns<KeyChange>(),
  },
  'key.checkFormat': {
    summary: "Check a pasted key against the vendor's documented format (as you type)",
    input: z.object({ vendor: vendorSchema, secret: z.string().max(4096) }).strict(),
    output: returns<FormatReport>(),
  },
  'key.revoke': {
    summary:
      'Revoke a key at the vendor (or confirm a dashboard revocation), then forget its secret',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<KeyRevoked>(),
  },
  'key.rotate': {
    summary: 'Rotate a key: mint (or take the pasted key), verify, swap, drain, revoke, forget',
    input: z.object({ ref: keyRefSchema, secret: secretValue.optional() }).strict(),
    output: returns<KeyChange>(),
  },
  'key.setPolicy': {
    summary: 'Set how often a key is rotated (days; null = never)',
    input: z.object({ ref: keyRefSchema, rotateEvery }).strict(),
    output: returns<KeyView>(),
  },
  'key.copy': {
    summary:
      'Copy a key to the clipboard from the main process; cleared after 30 s (desktop app only)',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<{ copied: boolean; clearAfterSeconds: number }>(),
  },
  'rotation.list': {
    summary: 'Rotations in progress or waiting on the user or on a retry',
    input: noInput,
    output: returns<RotationView[]>(),
  },
  'rotation.confirmRevoked': {
    summary: 'Guided vendors: check that the vendor now refuses the old key, then forget it',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<RotationView | null>(),
  },
  'rotation.retryRevoke': {
    summary: 'Retry revoking the old key of a rotation now',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<RotationView | null>(),
  },
  'vendor.list': {
    summary: 'The vendors Keyway serves: scopes with descriptions, lifecycle, dashboard steps',
    input: noInput,
    output: returns<VendorInfo[]>(),
  },
  'scope.check': {
    summary: "Before a call: which scopes this account's credential can grant, and why not",
    input: z.object({ account: accountName, scopes }).strict(),
    output: returns<ScopeReport>(),
  },
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
  'settings.get': {
    summary: 'Settings: proxy port, default rotation period, launch at login',
    input: noInput,
    output: returns<SettingsView>(),
  },
  'settings.update': {
    summary: 'Change settings (the proxy port applies at the next start)',
    input: z
      .object({
        proxyPort: z.number().int().min(0).max(65535).optional(),
        defaultRotateEvery: rotateEvery.optional(),
        launchAtLogin: z.boolean().optional(),
      })
      .strict(),
    output: returns<SettingsView>(),
  },
  'key.list': {
    summary: 'List keys with their current version (never the secret)',
    input: noInput,
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
    summary: 'Remove a connection that has no active clients',
    input: z.object({ slug: slugSchema }).strict(),
    output: returns<{ removed: string }>(),
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
  'rotation.changed': { key: string; rotation: RotationView | null };
  'key.due': { key: string; dueAt: string; guided: boolean };
}
export type EventName = keyof KeywayEvents;
export type KeywayEvent = { [E in EventName]: { type: E; payload: KeywayEvents[E] } }[EventName];
/** Typed as a record so the compiler refuses a list that forgets an event. */
const EVENTS: Record<EventName, true> = {
  'state.changed': true,
  'audit.appended': true,
  'key.refused': true,
  'rotation.step': true,
  'rotation.changed': true,
  'key.due': true,
};
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
