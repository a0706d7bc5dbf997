import type { VendorEndpoint } from '../../src/main/core/vendors';
import { sandboxEndpoint, startSandbox, type Sandbox } from '../../src/sandbox';

/** A management credential's scopes: mint and read back keys' plaintext. */
export const QUAVE_MANAGER = ['quave:manage:mcp-keys', 'quave:read:secrets'];

export interface QuaveSandbox {
  sb: Sandbox;
  /** The sandbox Quave with quick retries, as an adapter takes it. */
  ep: VendorEndpoint;
  /** johndoe's regular user token: admin of the seeded account, holds every scope. */
  userToken: string;
}

export async function startQuaveSandbox(): Promise<QuaveSandbox> {
  const sb = await startSandbox();
  return {
    sb,
    ep: sandboxEndpoint(sb, 'quave', { http: { retryBaseMs: 5 } }),
    userToken: sb.dashboard.createKey('quave', { kind: 'user-token' }).secret,
  };
}

/** An MCP key made in Quave's dashboard with these scopes. */
export function quaveMcpKey(sb: Sandbox, scopes: string[]): { id: string; secret: string } {
  return sb.dashboard.createKey('quave', { scopes, name: 'test key' });
}
