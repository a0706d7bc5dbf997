import type { KeywayApi } from '../shared/contract';
import type { Sandbox, SandboxVendor } from '../sandbox';

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

/** The sandbox's public face for the ready line: where each vendor's API, MCP and dashboard are. */
export function sandboxUrls(
  sandbox: Sandbox,
): Record<SandboxVendor, { apiUrl: string; mcpUrl: string; dashboardUrl: string }> {
  const out = {} as Record<SandboxVendor, { apiUrl: string; mcpUrl: string; dashboardUrl: string }>;
  for (const [id, v] of Object.entries(sandbox.vendors) as Array<
    [SandboxVendor, Sandbox['vendors'][SandboxVendor]]
  >) {
    out[id] = { apiUrl: v.apiUrl, mcpUrl: v.mcpUrl, dashboardUrl: v.dashboardUrl };
  }
  return out;
}
