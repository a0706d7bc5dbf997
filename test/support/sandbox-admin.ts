/** The sandbox vendors' HTTP admin face (src/sandbox/README.md), for tests in another process. */
import type { SandboxSite, SandboxVendor } from '../../src/sandbox';

export type SandboxVendorId = SandboxVendor;

/** What `keyway serve --sandbox` adds to its ready line. */
export interface SandboxReady {
  /** Every vendor, and `modern` (the 2026-07-28-only server); `era` is what each speaks. */
  vendors: Record<
    SandboxSite,
    { apiUrl: string; mcpUrl: string; dashboardUrl: string; era: string }
  >;
  demo: {
    account: string;
    key: string;
    connection: string;
    url: string;
    client: string;
    token: string;
  } | null;
}

export interface ReadyLine {
  url: string;
  ui: string;
  sandbox?: SandboxReady;
}

export function sandboxOrigin(apiUrl: string): string {
  return new URL(apiUrl).origin;
}

/** Creates a key as a person would in the vendor's dashboard; the plaintext comes back once. */
export async function dashboardKey(
  apiUrl: string,
  opts: Record<string, unknown> = {},
): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${sandboxOrigin(apiUrl)}/__sandbox/keys`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(opts),
  });
  if (!res.ok)
    throw new Error(`sandbox refused to create a key: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string };
}

export async function dashboardKeys(
  apiUrl: string,
): Promise<Array<{ id: string; name: string; scopes: string[]; live: boolean }>> {
  const res = await fetch(`${sandboxOrigin(apiUrl)}/__sandbox/keys`);
  const body = (await res.json()) as { keys?: unknown } | unknown[];
  return (Array.isArray(body) ? body : (body as { keys: unknown[] }).keys) as Array<{
    id: string;
    name: string;
    scopes: string[];
    live: boolean;
  }>;
}
