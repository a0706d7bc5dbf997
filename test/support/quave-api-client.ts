import type { VendorEndpoint } from '../../src/main/core/vendors';
import { quaveCall } from '../../src/main/core/vendors/quave-api';

/**
 * The calls of Quave's public API that Keyway itself never makes (tokens, get, update, toggle,
 * regenerate, reveal), for the tests that hold the sandbox Quave to its documents. Errors go
 * through Keyway's own `quaveError`, so a test sees what a user would. The calls Keyway makes
 * (list, create, delete) are in src/main/core/vendors/quave-api.ts.
 */

interface McpKey {
  keyId: string;
  name: string;
  enabledScopes: string[];
  enabled: boolean;
  securityLevel: string;
  sessionDuration: number;
}

// The product's own request (auth, errors); the test only reads the answers as records.
const call = async (...args: Parameters<typeof quaveCall>): Promise<Record<string, unknown>> =>
  (await quaveCall(...args)) as Record<string, unknown>;

const keyOf = (body: Record<string, unknown>): McpKey => body.mcpKey as McpKey;
const withSecret = (body: Record<string, unknown>) => ({
  key: keyOf(body),
  rawKey: typeof body.rawKey === 'string' && body.rawKey ? body.rawKey : null,
});

export async function getUserToken(ep: VendorEndpoint, credential: string) {
  return (await call(ep, credential, 'GET', '/user/token')) as {
    token: string;
    username: string;
    email: string;
    cliTokenGeneratedAt: string;
  };
}

export async function getAppEnvToken(
  ep: VendorEndpoint,
  credential: string,
  query: { appEnvId: string } | { envName: string },
) {
  return (await call(ep, credential, 'GET', '/app-env/token', { query })) as {
    token: string;
    appEnvId: string;
    cliEnvName: string;
    name: string;
  };
}

export async function getMcpKey(ep: VendorEndpoint, credential: string, keyId: string) {
  return keyOf(await call(ep, credential, 'GET', '/mcp-key', { query: { keyId } }));
}

export async function updateMcpKey(
  ep: VendorEndpoint,
  credential: string,
  body: {
    keyId: string;
    name?: string;
    enabled?: boolean;
    enabledScopes?: string[];
    securityLevel?: string;
    sessionDuration?: number;
  },
) {
  return keyOf(await call(ep, credential, 'PATCH', '/mcp-key', { body }));
}

export async function toggleMcpKey(
  ep: VendorEndpoint,
  credential: string,
  keyId: string,
  enabled: boolean,
) {
  return keyOf(await call(ep, credential, 'POST', '/mcp-key/toggle', { body: { keyId, enabled } }));
}

export async function regenerateMcpKey(
  ep: VendorEndpoint,
  credential: string,
  body: { keyId: string; name?: string; returnSecret?: boolean },
) {
  return withSecret(await call(ep, credential, 'POST', '/mcp-key/regenerate', { body }));
}

export async function revealMcpKey(ep: VendorEndpoint, credential: string, keyId: string) {
  const body = await call(ep, credential, 'POST', '/mcp-key/reveal', { query: { keyId } });
  if (typeof body.rawKey !== 'string') throw new Error('Quave answered reveal without the key');
  return body.rawKey;
}
