import type { AuthScheme, McpTransport } from '../shared/domain';
import { keySummary } from './sandbox-control';
import type { SandboxKeySummary } from './sandbox-control';
import type { SandboxSwitches } from './sandbox-switches';
import type {
  SandboxAuditEntry,
  SandboxKeyOptions,
  SandboxVendor,
  SandboxVendorDef,
} from './sandbox-vendor';
import { SandboxVendorServer } from './sandbox-vendor-server';
import type { SandboxRequestLogEntry } from './sandbox-vendor';
import { customSandbox } from './vendors/custom';
import { modernSandbox } from './vendors/modern';
import type { SandboxSite } from './sandbox-eras';
import { quaveSandbox } from './vendors/quave';
import { qwotySandbox } from './vendors/qwoty';
import { qyvoSandbox } from './vendors/qyvo';
import { specivoSandbox } from './vendors/specivo';
import type { OAuthSandbox } from './oauth/oauth-sandbox';

export type { SandboxVendor, SandboxKeyOptions, SandboxAuditEntry } from './sandbox-vendor';
export type { SandboxSwitches } from './sandbox-switches';
export type { SandboxKeySummary } from './sandbox-control';
export type { SandboxRequestLogEntry } from './sandbox-vendor';
export { SANDBOX_ERAS } from './sandbox-eras';
export type { SandboxSite } from './sandbox-eras';

export const SANDBOX_VENDORS: readonly SandboxVendor[] = [
  'qyvo',
  'quave',
  'qwoty',
  'specivo',
  'custom',
];

interface SandboxVendorUrls {
  origin: string;
  /** The base the adapters append their documented paths to. */
  apiUrl: string;
  mcpUrl: string;
  dashboardUrl: string;
  /** How this vendor reads its key. */
  auth: AuthScheme;
  /** Custom only: the legacy HTTP+SSE endpoint. */
  legacySseUrl?: string;
}

export interface Sandbox {
  vendors: Record<SandboxVendor, SandboxVendorUrls>;
  /** The 2026-07-28-only server: a custom server to Keyway, with a dashboard and keys. */
  modern: SandboxVendorUrls;
  dashboard: {
    /** What a person does in the vendor's web dashboard; returns the plaintext once, like the vendor. */
    createKey(vendor: SandboxSite, opts?: SandboxKeyOptions): { id: string; secret: string };
    revokeKey(vendor: SandboxSite, idOrSecret: string): boolean;
    isLive(vendor: SandboxSite, secret: string): boolean;
    /** Never secrets. */
    keys(vendor: SandboxSite): SandboxKeySummary[];
    /** Quave's secret-decrypt events (reveal). */
    audit(vendor: SandboxSite): SandboxAuditEntry[];
  };
  setSwitches(vendor: SandboxSite | 'all', patch: SandboxSwitches): void;
  switches(vendor: SandboxSite): SandboxSwitches;
  /** REST and MCP requests the vendor received (method, path, status), oldest first. */
  requests(vendor: SandboxSite): SandboxRequestLogEntry[];
  clearRequests(vendor: SandboxSite | 'all'): void;
  /** An MCP server protected by OAuth 2.1 (oidc-provider as its authorization server). */
  oauth: OAuthSandbox;
  close(): Promise<void>;
}

interface StartSandboxOptions {
  host?: '127.0.0.1';
  latencyMs?: number;
  /** The custom vendor's header and prefix; default X-Api-Key with no prefix. */
  customAuth?: AuthScheme;
}

/** Starts every sandbox vendor, each on its own 127.0.0.1 port (its own origin). */
export async function startSandbox(opts: StartSandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const defs: Record<SandboxSite, SandboxVendorDef> = {
    qyvo: qyvoSandbox,
    quave: quaveSandbox(),
    qwoty: qwotySandbox,
    specivo: specivoSandbox,
    custom: customSandbox(opts.customAuth),
    modern: modernSandbox,
  };
  const sites: SandboxSite[] = [...SANDBOX_VENDORS, 'modern'];
  const servers = {} as Record<SandboxSite, SandboxVendorServer>;
  for (const v of sites) servers[v] = new SandboxVendorServer(defs[v], opts.latencyMs ?? 0);
  let oauth: OAuthSandbox | undefined;
  const close = () =>
    Promise.all([...sites.map((v) => servers[v].close()), oauth?.close()]).then(() => {});
  try {
    await Promise.all(sites.map((v) => servers[v].listen(host)));
    // Five-minute access tokens: the demo shows refreshes without waiting an hour.
    // Loaded on demand: the CLI's every start should not pay for oidc-provider.
    const { startOAuthSandbox } = await import('./oauth/oauth-sandbox');
    oauth = await startOAuthSandbox({ accessTokenTtlSec: 300 });
  } catch (e) {
    await close();
    throw e;
  }

  const urls = (v: SandboxSite): SandboxVendorUrls => {
    const { origin, def } = servers[v];
    return {
      origin,
      apiUrl: origin,
      mcpUrl: origin + def.mcpPath,
      dashboardUrl: origin + def.dashboardPath,
      auth: { ...def.auth },
      ...(def.legacySsePath ? { legacySseUrl: `${origin}${def.legacySsePath}/sse` } : {}),
    };
  };
  const vendors = {} as Record<SandboxVendor, SandboxVendorUrls>;
  for (const v of SANDBOX_VENDORS) vendors[v] = urls(v);
  const each = (v: SandboxSite | 'all') => (v === 'all' ? sites : [v]);

  return {
    vendors,
    modern: urls('modern'),
    dashboard: {
      createKey: (v, o) => servers[v].createKey(o),
      revokeKey: (v, idOrSecret) => servers[v].ctx.keys.revoke(idOrSecret),
      isLive: (v, secret) => servers[v].ctx.keys.isLive(secret),
      keys: (v) => servers[v].ctx.keys.all().map(keySummary),
      audit: (v) => [...servers[v].ctx.audit],
    },
    setSwitches: (v, patch) => each(v).forEach((x) => servers[x].switches.patch(patch)),
    switches: (v) => servers[v].switches.switches,
    requests: (v) => servers[v].requests.map((r) => ({ ...r })),
    clearRequests: (v) => each(v).forEach((x) => (servers[x].requests.length = 0)),
    oauth,
    close,
  };
}

/**
 * The endpoint an account at this sandbox vendor uses: structurally the adapters' VendorEndpoint
 * (the sandbox does not import core), with the vendor's own auth scheme.
 */
interface SandboxEndpoint {
  apiUrl: string;
  mcpUrl: string;
  auth: AuthScheme;
  transport?: McpTransport;
  http?: { timeoutMs?: number; retries?: number; retryBaseMs?: number };
}

export function sandboxEndpoint(
  sandbox: Pick<Sandbox, 'vendors'>,
  vendor: SandboxVendor,
  extra: Pick<SandboxEndpoint, 'transport' | 'http'> = {},
): SandboxEndpoint {
  const v = sandbox.vendors[vendor];
  const mcpUrl = extra.transport === 'sse' && v.legacySseUrl ? v.legacySseUrl : v.mcpUrl;
  return { apiUrl: v.apiUrl, mcpUrl, auth: { ...v.auth }, ...extra };
}
