// Service accounts in a team manifest (`auth: client-credentials`): provision makes one from the
// file (client id, scopes) and its PEM key on standard input, a connection on its NAME/oauth and
// a client; the client's MCP session goes through; `export` keeps the kind and the client id and
// leaves the key (and every token) out; provisioning the export again changes nothing, and a new
// key on stdin is a guided rotation.
import { generateKeyPairSync } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { findSecrets, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { accountOf, cli, echo, mcpClient, type CliLog } from '../support/oauth-harness';

let sandbox: OAuthSandbox;
let serve: ServeProcess;
let dataDir: string;
let dir: string;
const log: CliLog = { outputs: [] };

beforeAll(async () => {
  sandbox = await startOAuthSandbox();
  dataDir = await tempDataDir('keyway-cc-manifest-');
  dir = await tempDataDir('keyway-cc-manifest-files-');
  serve = await startServe({ dataDir, timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await sandbox?.close();
  for (const d of [dataDir, dir]) if (d) await rm(d, { recursive: true, force: true });
});

function ecPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    jwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
/** The PEM as one stdin line: NAME=-----BEGIN PRIVATE KEY-----\n… */
const line = (name: string, pem: string) => `${name}=${pem.trim().replace(/\n/g, '\\n')}\n`;

it('provision, call through the proxy, export without the key, provision again, rotate by manifest', async () => {
  const first = ecPair();
  const { clientId } = await sandbox.registerServiceClient({
    method: 'private_key_jwt',
    publicJwk: first.jwk,
  });
  const file = join(dir, 'team.yaml');
  await writeFile(
    file,
    `accounts:\n  - name: agent\n    vendor: custom\n    mcpUrl: ${sandbox.mcpUrl}\n` +
      `    auth: client-credentials\n    clientId: ${clientId}\n    scopes: [mcp:tools]\n` +
      `connections:\n  - slug: agent\n    key: agent/oauth\n` +
      `clients:\n  - name: agent-bot\n    connection: agent\n`,
  );
  const applied = await cli(
    log,
    dataDir,
    ['provision', file, '--credentials-stdin', '--json'],
    {},
    line('agent', first.pem),
  );
  expect(applied.code, applied.stderr).toBe(0);
  const out = JSON.parse(applied.stdout) as { tokens: Array<{ client: string; token: string }> };
  const account = await accountOf(log, dataDir, 'agent');
  expect(account.oauth).toMatchObject({
    state: 'signed-in',
    clientId,
    scopes: ['mcp:tools'],
    clientCredentials: { method: 'private_key_jwt', alg: 'ES256' },
  });
  const conn = JSON.parse(
    (await cli(log, dataDir, ['connection', 'ls', '--json'])).stdout,
  ) as Array<{
    slug: string;
    url: string;
  }>;
  const client = await mcpClient(
    conn.find((c) => c.slug === 'agent')!.url,
    out.tokens.find((t) => t.client === 'agent-bot')!.token,
  );
  try {
    expect(await echo(client, 'from the manifest')).toBe('from the manifest');
  } finally {
    await client.close();
  }

  const exported = await cli(log, dataDir, ['export']);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(
    /auth: client-credentials\n\s+clientId: \S+\n\s+scopes:\n\s+- mcp:tools/,
  );
  expect(exported.stdout).not.toMatch(/ref: agent\/oauth/);
  expect(exported.stdout).toMatch(/slug: agent\n\s+key: agent\/oauth/);
  const exportFile = join(dir, 'exported.yaml');
  await writeFile(exportFile, exported.stdout);
  const again = await cli(log, dataDir, ['provision', exportFile, '--json']);
  expect(again.code, again.stderr).toBe(0);
  const plan = JSON.parse(again.stdout) as {
    plan: Array<{ action: string; kind: string; name: string }>;
  };
  expect(plan.plan.filter((i) => i.action !== 'leave')).toEqual([]);

  // A new key registered at the server, then given on stdin: checked by a token, swapped in.
  const second = ecPair();
  await sandbox.rotateServiceClient(clientId, { publicJwks: [first.jwk, second.jwk] });
  const rotated = await cli(
    log,
    dataDir,
    ['provision', exportFile, '--credentials-stdin', '--json'],
    {},
    line('agent', second.pem),
  );
  expect(rotated.code, rotated.stderr).toBe(0);
  await sandbox.rotateServiceClient(clientId, { publicJwks: [second.jwk] });
  const login = await cli(log, dataDir, ['account', 'login', 'agent']);
  expect(login.stderr).toBe('');

  const pemLines = [first.pem, second.pem].flatMap((p) =>
    p.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')),
  );
  const { stdout, stderr } = serve.output();
  const secrets = [...pemLines, ...sandbox.stats.accessTokensIssued];
  expect(await findSecrets(dataDir, [...log.outputs, stdout, stderr], secrets)).toEqual([]);
}, 180_000);
