// The conformance suite's client credentials scenarios (extension
// io.modelcontextprotocol/oauth-client-credentials, SEP-1046, mcp-conformance-next 0.2.0-alpha.12
// on Node 22) with Keyway as the client: the runner adds a service account with the scenario's
// client id and secret (client_secret_basic) or PEM private key (private_key_jwt), no login, then
// a real MCP SDK client initializes, lists tools and calls one through a real `keyway serve`.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { runClientScenario } from '../support/conformance-client';

let serve: ServeProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await tempDataDir('keyway-cc-conformance-');
  serve = await startServe({ dataDir, timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it.each(['auth/client-credentials-basic', 'auth/client-credentials-jwt'])(
  '%s passes, then a tool call goes through the proxy',
  async (scenario) => {
    const result = await runClientScenario(
      scenario,
      { KEYWAY_DATA_DIR: dataDir },
      120_000,
      'mcp-conformance-next',
    );
    expect(result.failures, result.output).toEqual([]);
    const verified =
      scenario === 'auth/client-credentials-jwt'
        ? 'client-credentials-jwt-verified'
        : 'client-credentials-basic-auth';
    // The scenario's own success check, then the scenario's MCP server answered initialize,
    // tools/list and tools/call, all sent by the SDK client through Keyway's proxy.
    expect(result.passed).toContain(verified);
    for (const method of ['initialize', 'tools/list', 'tools/call'])
      expect(result.output).toContain(`Sent 200 response for POST /mcp (method: ${method})`);
  },
  180_000,
);
