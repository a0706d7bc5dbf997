import type { KeywayApi } from '../shared/contract';
import { VENDOR_IDS } from '../shared/domain';
import type { VendorPlaces } from '../main/core/vendors';
import type { Sandbox, SandboxSite } from '../sandbox';
import { SANDBOX_ERAS } from '../sandbox/sandbox-eras';

interface SandboxDemo {
  account: string;
  key: string;
  connection: string;
  url: string;
  client: string;
  /** The demo client's local token, shown once like any other. */
  token: string;
  /**
   * The sandbox's OAuth-protected MCP server. `npm run demo` adds the `demo-oauth` account for
   * it; `serve --sandbox` leaves the account list as it was (teams' manifests declare the demo).
   */
  oauth: { mcpUrl: string };
}

/**
 * A ready setup against the sandbox Quave (the vendor with a key API, so rotation runs in one
 * click): a service account holding a management credential, a minted key, a connection and a
 * client. Everything goes through the same contract the UI and CLI use.
 */
export async function seedSandboxDemo(
  api: KeywayApi,
  sandbox: Sandbox,
): Promise<SandboxDemo | undefined> {
  const existing = await api['account.list']({});
  if (existing.some((a) => a.name === 'demo')) return undefined;
  const quave = sandbox.vendors.quave;
  const credential = sandbox.dashboard.createKey('quave', { kind: 'user-token' });
  await api['account.add']({
    name: 'demo',
    vendor: 'quave',
    apiUrl: quave.apiUrl,
    mcpUrl: quave.mcpUrl,
    serviceAccount: true,
    credential: credential.secret,
  });
  await api['key.create']({ ref: 'demo/agent', scopes: ['quave:read'], rotateEvery: 30 });
  const connection = await api['connection.add']({ slug: 'demo', key: 'demo/agent' });
  const client = await api['client.add']({ name: 'demo-client', connection: 'demo' });
  return {
    oauth: { mcpUrl: sandbox.oauth.mcpUrl },
    account: 'demo',
    key: 'demo/agent',
    connection: 'demo',
    url: connection.url,
    client: client.name,
    token: client.token,
  };
}

interface SandboxSiteUrls {
  apiUrl: string;
  mcpUrl: string;
  dashboardUrl: string;
  /** The MCP revisions its server speaks, e.g. "2026-07-28 only". */
  era: string;
}

/**
 * The sandbox's public face for the ready line: where each vendor's API, MCP and dashboard are,
 * and which MCP era it speaks; `modern` is the server that speaks only 2026-07-28.
 */
export function sandboxUrls(sandbox: Sandbox): Record<SandboxSite, SandboxSiteUrls> {
  const out = {} as Record<SandboxSite, SandboxSiteUrls>;
  const sites = { ...sandbox.vendors, modern: sandbox.modern };
  for (const [id, v] of Object.entries(sites) as Array<[SandboxSite, Sandbox['modern']]>) {
    out[id] = {
      apiUrl: v.apiUrl,
      mcpUrl: v.mcpUrl,
      dashboardUrl: v.dashboardUrl,
      era: SANDBOX_ERAS[id],
    };
  }
  return out;
}

/**
 * The sandbox vendors as the instance's own places for them (core/vendors/vendor-places.ts):
 * the wizard defaults to them and dashboard links open their pages. A sandbox vendor that
 * serves no dashboard page gets null, and the UI says so instead of linking to the real site.
 */
export function sandboxPlaces(sandbox: Sandbox): VendorPlaces {
  const places: VendorPlaces = {};
  for (const id of VENDOR_IDS) {
    const v = sandbox.vendors[id];
    places[id] = { apiUrl: v.apiUrl, mcpUrl: v.mcpUrl, dashboardUrl: v.dashboardUrl, auth: v.auth };
  }
  return places;
}

/**
 * `serve --sandbox` again on the same data directory: the sandbox vendors start afresh (new
 * ports, no keys), so the demo account would point at dead ports. It is re-pointed: new URLs, a
 * new management credential, a new key behind the same connection (its clients keep their
 * tokens), and the old key forgotten (the sandbox that knew it is gone). Returns the new key.
 */
export async function repointSandboxDemo(api: KeywayApi, sandbox: Sandbox): Promise<string | null> {
  const account = (await api['account.list']({})).find((a) => a.name === 'demo');
  if (!account || account.vendor !== 'quave') return null;
  const quave = sandbox.vendors.quave;
  if (account.apiUrl === quave.apiUrl) return null;
  const credential = sandbox.dashboard.createKey('quave', { kind: 'user-token' });
  await api['account.update']({ name: 'demo', apiUrl: quave.apiUrl, mcpUrl: quave.mcpUrl });
  await api['account.setCredential']({ name: 'demo', credential: credential.secret });
  const keys = (await api['key.list']({})).filter((k) => k.account === 'demo').map((k) => k.ref);
  const ref = `demo/agent-${Date.now().toString(36)}`;
  await api['key.create']({ ref, scopes: ['quave:read'], rotateEvery: 30 });
  for (const c of await api['connection.list']({}))
    if (keys.includes(c.key))
      await api['connection.update']({ slug: c.slug, key: ref, upstream: quave.mcpUrl });
  for (const old of keys) await api['key.remove']({ ref: old });
  return ref;
}
