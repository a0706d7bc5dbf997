import type {
  AuthScheme,
  KeyOptions,
  McpTransport,
  ScopeInfo,
  VendorId,
} from '../../../shared/domain';

/** Where an account talks to its vendor; the documented hosts are only defaults. */
export interface VendorEndpoint {
  apiUrl: string;
  mcpUrl: string;
  auth: AuthScheme;
  /** MCP transport at mcpUrl; `sse` is the legacy HTTP+SSE transport. Default: streamable-http. */
  transport?: McpTransport;
  /** Per-account overrides of the HTTP helper's timeout and retry policy (tests use small ones). */
  http?: VendorHttpOptions;
}

export interface VendorHttpOptions {
  /** Per attempt; default 10 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls (GET, DELETE) only; default 2. */
  retries?: number;
  /** First backoff delay, doubled on each retry; default 200 ms. */
  retryBaseMs?: number;
}

export type FormatCheck = { ok: true; warnings: string[] } | { ok: false; reason: string };

export interface VerifyResult {
  /** Non-secret: user, tenant, workspace. */
  identity: string;
  warnings: string[];
  /**
   * Scopes or permissions this very answer proved the key holds (Qwoty: a 200 from the
   * payment-terms read proves `payment-terms:read`); recorded with the key, never warned about.
   */
  proven?: string[];
}

export interface MintSpec {
  name: string;
  scopes: string[];
  options: KeyOptions;
}

export interface MintedKey {
  vendorKeyId: string;
  secret: string;
  scopes: string[];
  expires: string | null;
}

export interface VendorKeyInfo {
  vendorKeyId: string;
  name: string;
  scopes: string[];
  enabled: boolean;
}

export interface ScopeCheck {
  scope: string;
  grantable: boolean;
  reason?: string;
}

export interface GuidedSteps {
  /** The page where keys are made and revoked; null when Keyway knows none (a Custom server). */
  dashboardUrl: string | null;
  createSteps: string[];
  revokeSteps: string[];
  /** The page is this instance's local sandbox's (vendor-places.ts), not the vendor's own. */
  sandbox?: boolean;
}

export interface VendorAdapter {
  id: VendorId;
  displayName: string;
  defaults: { apiUrl: string; mcpUrl: string };
  /** Quave: {header:'Authorization', prefix:''}; the others 'Bearer '. */
  defaultAuth: AuthScheme;
  /** Catalogue with a UI description of each scope. */
  scopes: ScopeInfo[];
  defaultScopes: string[];
  capabilities: { mint: boolean; revoke: boolean; list: boolean };
  /** Null for API vendors; the dashboard URL and the document's exact steps otherwise. */
  guided: GuidedSteps | null;
  /** The same steps with the dashboard URL on the account's own host (a sandbox, a self-hosted vendor). */
  guidedFor?(ep: VendorEndpoint): GuidedSteps | null;
  /**
   * Set when this instance runs the vendor's sandbox (vendor-places.ts): `defaults` and `guided`
   * are the sandbox's already; `auth` is how the sandbox reads a key, for the wizard's defaults.
   */
  sandbox?: { auth: AuthScheme };
  /** Reject where the document is certain, warn where it contradicts itself. */
  checkFormat(secret: string): FormatCheck;
  scopeWarnings(scopes: string[]): string[];
  /**
   * Scopes every key has once the vendor accepted it on its verify call and its MCP server (the
   * document says so: Qyvo's only scope is mcp; Specivo's MCP server refuses a key without mcp).
   */
  provenScopes?: string[];
  normalizeScopes(scopes: string[]): string[];
  /** Before any call. credentialScopes null = a regular user token, which holds every scope. */
  checkScopes(requested: string[], credentialScopes: string[] | null): ScopeCheck[];
  /** Why this management credential cannot mint at all (missing management scopes); [] when it can. */
  checkCredential?(credentialScopes: string[] | null): string[];
  /** The vendor's documented verify call. Throws VendorError. */
  verify(ep: VendorEndpoint, secret: string, signal?: AbortSignal): Promise<VerifyResult>;
  /** An MCP check other than a plain `initialize` at mcpUrl (none of the five; a test double). */
  probeMcp?(ep: VendorEndpoint, secret: string): Promise<unknown>;
  mint?(
    ep: VendorEndpoint,
    credential: string,
    credentialScopes: string[] | null,
    spec: MintSpec,
  ): Promise<MintedKey>;
  revoke?(ep: VendorEndpoint, credential: string, vendorKeyId: string): Promise<void>;
  list?(ep: VendorEndpoint, credential: string): Promise<VendorKeyInfo[]>;
}
