/**
 * Domain types shared by core, shells and renderer. Plain data only: no Node, no DOM, and never a
 * plaintext secret (a key version carries its fingerprint and last 4 characters, not the value).
 */

export const VENDOR_IDS = ['qyvo', 'quave', 'qwoty', 'specivo', 'custom'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

type KeyVersionState = 'active' | 'retiring' | 'revoked' | 'failed';
export type McpTransport = 'streamable-http' | 'sse';

/** How a key is put on a request: `Authorization: Bearer T` for most, raw `T` for Quave. */
export interface AuthScheme {
  header: string;
  prefix: string;
}

export interface ServiceAccountInfo {
  /** What the user says the dedicated user is, e.g. Specivo's Agent role and its projects. */
  role?: string;
  projects?: string[];
}

export interface Account {
  name: string;
  vendor: VendorId;
  apiUrl: string;
  mcpUrl: string;
  serviceAccount: boolean;
  serviceAccountInfo?: ServiceAccountInfo;
  /** True when a management credential is in the keychain for this account. */
  hasCredential: boolean;
  /**
   * Scopes the management credential holds, when it is itself scoped (a Quave MCP key); null
   * means a regular user token, which holds everything its user can do.
   */
  credentialScopes: string[] | null;
  /** Custom vendor only: the header and prefix its server expects. */
  auth?: AuthScheme;
  /** OAuth accounts only (`--auth oauth`): the OAuth session's facts, never a token. */
  oauth?: OAuthAccountInfo;
  createdAt: string;
}

// --- OAuth accounts (issue 11) ---------------------------------------------------------------
/** `signed-out` before the first login and after logout; `needs-login` when a refresh was refused. */
export type OAuthState = 'signed-out' | 'signed-in' | 'needs-login';

export interface OAuthAccountInfo {
  state: OAuthState;
  /** Why a login is needed (refresh refused, more scopes wanted); null otherwise. */
  reason: string | null;
  /** Scopes the user asked for (`--scope`), then the server's challenge or `scopes_supported`. */
  scopes: string[];
  /** Scopes a 403 insufficient_scope asked for on top: the next login requests the union. */
  wantedScopes: string[];
  /** Scopes the token endpoint said it granted (empty when it did not say). */
  grantedScopes: string[];
  clientId: string | null;
  clientSource: 'pre-registered' | 'dynamic' | null;
  /** True when a client secret is in the keychain (pre-registered or given by registration). */
  hasClientSecret: boolean;
  /** The redirect URI the client was registered with; a new port means a new registration. */
  redirectUri: string | null;
  /** The authorization server's issuer, once discovered. */
  issuer: string | null;
  /** The RFC 8707 resource Keyway asks tokens for. */
  resource: string | null;
  /** Who the server says signed in (`sub`, or a name when the token answer carries one). */
  subject: string | null;
  /** Absolute expiry of the current access token. */
  expiresAt: string | null;
  lastLoginAt: string | null;
  lastRefreshAt: string | null;
  /** Set on a service account that gets its tokens by the client credentials grant (issue 25). */
  clientCredentials?: ClientCredentialsInfo;
}

/**
 * An agent's service account at an OAuth server (SEP-1046): no person, no browser. The client
 * secret or the PEM private key lives only in the OS keychain.
 */
export interface ClientCredentialsInfo {
  /** How the client proves itself at the token endpoint, as the server's metadata allows. */
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** private_key_jwt: ES256 for an EC P-256 key, RS256 for an RSA key; null for a secret. */
  alg: 'ES256' | 'RS256' | null;
  /** When the secret or key went into the keychain (added or rotated). */
  credentialSetAt: string;
}

export interface KeyOptions {
  securityLevel?: string;
  sessionDuration?: number;
}

export interface KeyVersion {
  id: string;
  vendorKeyId: string | null;
  fingerprint: string;
  last4: string;
  created: string;
  expires: string | null;
  state: KeyVersionState;
}

export interface Key {
  /** `account/name`, how users and the CLI name a key. */
  ref: string;
  account: string;
  name: string;
  vendor: VendorId;
  scopes: string[];
  options: KeyOptions;
  rotateEvery: number | null;
  createdAt: string;
  versions: KeyVersion[];
  /** Set when the vendor refused the current version (an upstream 401); cleared on rotation. */
  refusedAt: string | null;
}

export interface Connection {
  slug: string;
  key: string;
  upstream: string;
  /**
   * The key `upstream` was set for explicitly, when its origin is not that key's account's MCP
   * origin. Only then may the key go there; a key change clears it. Absent (every store written
   * before the rule): the key goes only to its account's MCP origin.
   */
  upstreamSetFor?: string;
  transport: McpTransport;
  createdAt: string;
}

export interface Client {
  name: string;
  connection: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditEntry {
  at: string;
  event: string;
  key: string | null;
  client: string | null;
  account?: string | null;
  connection?: string | null;
  detail?: Record<string, unknown>;
}

export interface ScopeInfo {
  id: string;
  description: string;
}

/** The version a key's connections use now: the newest `active` one. */
/** An OAuth account's facts before its first login: signed out, no client, no token. */
export function signedOutOAuth(scopes: string[] = []): OAuthAccountInfo {
  return {
    state: 'signed-out',
    reason: null,
    scopes,
    wantedScopes: [],
    grantedScopes: [],
    clientId: null,
    clientSource: null,
    hasClientSecret: false,
    redirectUri: null,
    issuer: null,
    resource: null,
    subject: null,
    expiresAt: null,
    lastLoginAt: null,
    lastRefreshAt: null,
  };
}

export function currentVersion(key: Key): KeyVersion | undefined {
  for (let i = key.versions.length - 1; i >= 0; i--) {
    const v = key.versions[i];
    if (v?.state === 'active') return v;
  }
  return undefined;
}
