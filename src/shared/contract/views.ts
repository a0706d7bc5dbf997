/** What operations return: views of the domain for the shells. Types only, no runtime code. */
import type {
  AuthScheme,
  Client,
  Connection,
  Key,
  KeyVersion,
  ScopeInfo,
  VendorId,
} from '../domain';

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
  /** The page where keys are made and revoked; null when Keyway knows none (a Custom server). */
  dashboardUrl: string | null;
  createSteps: string[];
  revokeSteps: string[];
  /** The page is this instance's local sandbox's (`keyway serve --sandbox`), not the vendor's. */
  sandbox?: boolean;
}

/** What the UI needs to know about a vendor before any call: scopes, lifecycle, key format. */
export interface VendorInfo {
  id: VendorId;
  displayName: string;
  /** This instance's defaults: the documented hosts, or its local sandbox's (`sandbox` below). */
  defaults: { apiUrl: string; mcpUrl: string; auth: AuthScheme };
  /** This instance runs the vendor's local sandbox (`keyway serve --sandbox`, `npm run demo`). */
  sandbox: boolean;
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
export type * from './traffic-views';
