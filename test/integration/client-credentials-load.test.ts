// Issue 25's load test: an agent's service account (client credentials, private_key_jwt with an
// EC P-256 key) at the OAuth sandbox, whose access tokens live 12 s. Eight MCP sessions call
// tools through the proxy of a real `keyway serve` across three token expiries. No call may
// fail; exactly one token request per expiry reaches the authorization server (sessions never
// cause one); the key, the assertions' tokens and the PEM never appear in the data directory,
// the logs or any CLI output; after logout the tokens are gone and `account login` gets one.
import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { fingerprint } from '../../src/main/core/secret-facts';
import type { KeyView } from '../../src/shared/contract';
import { findSecrets } from '../support/keyway-process';
import { accountOf, cli, connectClient, echo, mcpClient } from '../support/oauth-harness';
import { callEverySession, oauthLoadRig } from '../support/oauth-load';

const SESSIONS = 8;
const EXPIRIES = 3;
const TOKEN_TTL_S = 12;

const startRig = oauthLoadRig('keyway-cc-load-', TOKEN_TTL_S);

it('8 sessions across three 12 s token expiries: 0 failed calls, one token request per expiry, no leaks', async () => {
  const { sandbox, dataDir, serve, log, clients } = await startRig();
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const { clientId } = await sandbox.registerServiceClient({
    method: 'private_key_jwt',
    publicJwk: publicKey.export({ format: 'jwk' }),
  });

  const added = await cli(
    log,
    dataDir,
    [
      'account',
      'add',
      'agent',
      '--vendor',
      'custom',
      '--mcp-url',
      sandbox.mcpUrl,
      '--auth',
      'client-credentials',
      '--client-id',
      clientId,
      '--private-key-stdin',
    ],
    {},
    pem,
  );
  expect(added.stderr).toBe('');
  expect(added.stdout).toMatch(/added service account agent \(private_key_jwt ES256/);
  const account = await accountOf(log, dataDir, 'agent');
  expect(account.oauth).toMatchObject({
    state: 'signed-in',
    issuer: sandbox.issuer,
    resource: sandbox.mcpUrl,
    clientCredentials: { method: 'private_key_jwt', alg: 'ES256' },
  });
  // The first token came with the add: fetched before first use.
  expect(sandbox.stats.clientCredentialsGrants).toBe(1);

  const { url, token } = await connectClient(log, dataDir, 'agent', 'agent');
  for (let i = 0; i < SESSIONS; i++) clients.push(await mcpClient(url, token));

  let stop = false;
  const load = callEverySession(clients, () => !stop);
  // Until the third renewal (each ahead of an expiry), then a few seconds past that token's start.
  const deadline = Date.now() + (EXPIRIES + 2) * TOKEN_TTL_S * 1000;
  while (sandbox.stats.clientCredentialsGrants < 1 + EXPIRIES && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2000));
  stop = true;
  await load.finished;

  expect(load.failures).toEqual([]);
  expect(load.calls()).toBeGreaterThan(SESSIONS * 3 * TOKEN_TTL_S);
  const stats = sandbox.stats;
  // Exactly one token request per expiry: the add's, then one per renewal, none from a session.
  expect(stats.clientCredentialsGrants).toBe(1 + EXPIRIES);
  expect(stats.accessTokensIssued.length).toBe(1 + EXPIRIES);
  expect(stats.refreshGrants).toBe(0);
  const audit = JSON.parse((await cli(log, dataDir, ['audit', '--json'])).stdout) as Array<{
    event: string;
  }>;
  expect(audit.filter((e) => e.event === 'oauth.refreshed').length).toBe(EXPIRIES);
  expect(audit.filter((e) => e.event === 'oauth.refresh-failed')).toEqual([]);

  const keys = JSON.parse((await cli(log, dataDir, ['key', 'ls', '--json'])).stdout) as KeyView[];
  const key = keys.find((k) => k.ref === 'agent/oauth')!;
  expect(key.version?.fingerprint).toBe(fingerprint(stats.accessTokensIssued.at(-1)!));

  // Logout forgets the tokens (the key stays); `account login` gets one at once, no browser.
  expect((await cli(log, dataDir, ['account', 'logout', 'agent'])).code).toBe(0);
  expect((await accountOf(log, dataDir, 'agent')).oauth?.state).toBe('signed-out');
  // (The CLI runs above take seconds on a loaded machine: a renewal may have come in between.)
  const beforeLogin = stats.clientCredentialsGrants;
  const again = await cli(log, dataDir, ['account', 'login', 'agent']);
  expect(again.stderr).toBe('');
  expect(again.stdout).toMatch(
    /^agent is a service account \(client credentials\): no browser needed; got a new token/,
  );
  expect(stats.clientCredentialsGrants).toBe(beforeLogin + 1);
  expect(await echo(clients[0]!, 'after login')).toBe('after login');

  // The PEM's body (every line of it) and every token: never outside the keychain.
  const pemLines = pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  const secrets = [...stats.accessTokensIssued, ...pemLines];
  const { stdout, stderr } = serve.output();
  expect(await findSecrets(dataDir, [...log.outputs, stdout, stderr], secrets)).toEqual([]);
}, 300_000);
