// Bad input for a service account (client credentials), each through the real CLI and `keyway
// serve` against OAuth sandbox vendors set up to refuse it: one clear line, nothing kept (no
// account, nothing in the keychain). Then the guided rotation of a client secret: a secret the
// server dropped stops the renewals after one refused request (no loop), a wrong new secret
// changes nothing, the right one gets a token and replaces the old one in the keychain.
import { generateKeyPairSync } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataDirId } from '../../src/main/core/data-dir';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { clientKeySecretName } from '../../src/main/core/oauth/client-credentials-grant';
import { oauthSecretNames } from '../../src/main/core/oauth/oauth-secrets';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { findSecrets, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import {
  accountOf,
  cli,
  connectClient,
  echo,
  mcpClient,
  type CliLog,
} from '../support/oauth-harness';

let sandbox: OAuthSandbox;
let rsaOnly: OAuthSandbox;
let noGrant: OAuthSandbox;
let postOnly: OAuthSandbox;
let serve: ServeProcess;
let dataDir: string;
const log: CliLog = { outputs: [] };
const secrets: string[] = [];

beforeAll(async () => {
  [sandbox, rsaOnly, noGrant, postOnly] = await Promise.all([
    startOAuthSandbox(),
    startOAuthSandbox({ clientAuthSigningAlgs: ['RS256'] }),
    startOAuthSandbox({ clientCredentials: false }),
    startOAuthSandbox({ clientAuthMethods: ['client_secret_post'] }),
  ]);
  dataDir = await tempDataDir('keyway-cc-errors-');
  serve = await startServe({ dataDir, timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await Promise.all([sandbox, rsaOnly, noGrant, postOnly].map((s) => s?.close()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function add(name: string, mcpUrl: string, clientId: string, flag: string, stdin: string) {
  const args = ['account', 'add', name, '--vendor', 'custom', '--mcp-url', mcpUrl];
  // `=`: a generated client id may start with '-', which parseArgs reads as an option.
  args.push('--auth', 'client-credentials', `--client-id=${clientId}`, flag);
  return cli(log, dataDir, args, {}, stdin);
}

async function keychain(name: string): Promise<Array<string | undefined>> {
  const kc = new OsKeychain();
  const scope = dataDirId(dataDir);
  return [
    await kc.get(oauthSecretNames.clientSecret(scope, name)),
    await kc.get(clientKeySecretName(scope, name)),
  ];
}

/** One line on stderr matching `message`, exit 1, no account and nothing in the keychain. */
async function refused(
  name: string,
  run: Promise<{ code: number; stderr: string }>,
  message: RegExp,
) {
  const res = await run;
  expect(res.code).toBe(1);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(message);
  await expect(accountOf(log, dataDir, name)).rejects.toThrow(/no account/);
  expect(await keychain(name)).toEqual([undefined, undefined]);
}

const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

it('a PEM that is not a usable private key: a public key, garbage, an Ed25519 key', async () => {
  const { publicKey } = ecKey();
  const pub = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  await refused(
    'pub',
    add('pub', sandbox.mcpUrl, 'c', '--private-key-stdin', pub),
    /^keyway account add: that PEM is a public key or certificate, not a private key; paste the PEM private key/,
  );
  await refused(
    'junk',
    add('junk', sandbox.mcpUrl, 'c', '--private-key-stdin', 'not a key at all\nsecond line'),
    /standard input is not a PEM private key \(expected -----BEGIN PRIVATE KEY-----/,
  );
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
  await refused(
    'ed',
    add('ed', sandbox.mcpUrl, 'c', '--private-key-stdin', ed.toString()),
    /that PEM is a key of type ed25519; Keyway signs client assertions with EC P-256 \(ES256\) or RSA/,
  );
});

it('an algorithm the server does not accept: an EC key where only RS256 is taken', async () => {
  const { privateKey } = ecKey();
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const before = rsaOnly.stats.clientCredentialsGrants;
  await refused(
    'ec-at-rsa',
    add('ec-at-rsa', rsaOnly.mcpUrl, 'c', '--private-key-stdin', pem),
    /accepts client assertions signed with RS256, not ES256 \(the algorithm of this EC P-256 key\)/,
  );
  // Refused from the metadata: the key never signed anything for that server.
  expect(rsaOnly.stats.clientCredentialsGrants).toBe(before);
});

it('a server without the client credentials grant', async () => {
  await refused(
    'no-grant',
    add('no-grant', noGrant.mcpUrl, 'c', '--client-secret-stdin', 'a-secret-1234567890'),
    /does not offer the client credentials grant \(it offers .*authorization_code.*\); use --auth oauth and log in instead/,
  );
});

it('a wrong secret', async () => {
  const { clientId, clientSecret } = await sandbox.registerServiceClient({
    method: 'client_secret_basic',
  });
  secrets.push(clientSecret!);
  await refused(
    'wrong',
    add('wrong', sandbox.mcpUrl, clientId, '--client-secret-stdin', 'wrong-secret-0123456789'),
    /refused the client id or secret \(invalid_client/,
  );
});

it('a server that takes the secret only in the body: client_secret_post', async () => {
  const { clientId, clientSecret } = await postOnly.registerServiceClient({
    method: 'client_secret_post',
  });
  secrets.push(clientSecret!);
  const res = await add(
    'poster',
    postOnly.mcpUrl,
    clientId,
    '--client-secret-stdin',
    clientSecret!,
  );
  expect(res.stderr).toBe('');
  expect((await accountOf(log, dataDir, 'poster')).oauth?.clientCredentials?.method).toBe(
    'client_secret_post',
  );
});

it('guided rotation of the secret: refused once without a loop, a wrong new one changes nothing, the right one swaps', async () => {
  const { clientId, clientSecret } = await sandbox.registerServiceClient({
    method: 'client_secret_basic',
  });
  secrets.push(clientSecret!);
  expect(
    (await add('svc', sandbox.mcpUrl, clientId, '--client-secret-stdin', clientSecret!)).stderr,
  ).toBe('');
  const { url, token } = await connectClient(log, dataDir, 'svc', 'svc');
  const client = await mcpClient(url, token);
  try {
    expect(await echo(client, 'one')).toBe('one');
    // The admin makes a new secret at the console (the old one dies) and the server drops the
    // tokens: the proxy's renewal is refused once, the account says why, nothing retries.
    const fresh = (await sandbox.rotateServiceClient(clientId, { newSecret: true }))!;
    secrets.push(fresh);
    await sandbox.revokeAccessTokens();
    const grants = sandbox.stats.clientCredentialsGrants;
    await expect(echo(client, 'two')).rejects.toThrow();
    await expect(echo(client, 'three')).rejects.toThrow();
    expect(sandbox.stats.clientCredentialsGrants).toBe(grants + 1);
    const stuck = await accountOf(log, dataDir, 'svc');
    expect(stuck.oauth?.state).toBe('needs-login');
    expect(stuck.oauth?.reason).toMatch(/refused the client id or secret/);

    const wrong = await cli(
      log,
      dataDir,
      ['account', 'rotate-credential', 'svc', '--client-secret-stdin'],
      {},
      'not-the-new-secret-123456',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/refused the client id or secret/);
    expect((await keychain('svc'))[0]).toBe(clientSecret);

    const ok = await cli(
      log,
      dataDir,
      ['account', 'rotate-credential', 'svc', '--client-secret-stdin'],
      {},
      fresh,
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^rotated the client secret of svc: the new one got a token/);
    expect(await keychain('svc')).toEqual([fresh, undefined]);
    expect((await accountOf(log, dataDir, 'svc')).oauth?.state).toBe('signed-in');
    expect(await echo(client, 'four')).toBe('four');
  } finally {
    await client.close();
  }
  const { stdout, stderr } = serve.output();
  const tokens = [sandbox, postOnly].flatMap((s) => s.stats.accessTokensIssued);
  expect(
    await findSecrets(dataDir, [...log.outputs, stdout, stderr], [...secrets, ...tokens]),
  ).toEqual([]);
});
