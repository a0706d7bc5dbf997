// Shared by the OAuth tests: a real `keyway serve`, the CLI as separate processes, the test
// "browser" (scripts/oauth-test-browser.js as $BROWSER) and the OAuth sandbox vendor in-process
// so a test can read what its authorization server saw.
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Account } from '../../src/shared/domain';
import { connectToRunning } from '../../src/cli/control-client';
import { dataDirId } from '../../src/main/core/data-dir';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import { oauthSecretNames } from '../../src/main/core/oauth/oauth-secrets';
import { runKeyway, type RunResult } from './keyway-process';

export const TEST_BROWSER = resolve(import.meta.dirname, '../../scripts/oauth-test-browser.js');

export interface CliLog {
  outputs: string[];
}

/** Runs the CLI and keeps its output, so a test can grep every output for tokens at the end. */
export async function cli(
  log: CliLog,
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  stdin?: string,
): Promise<RunResult> {
  const result = await runKeyway(args, { dataDir, env, stdin });
  log.outputs.push(result.stdout, result.stderr);
  return result;
}

export async function login(log: CliLog, dataDir: string, name: string): Promise<RunResult> {
  return cli(log, dataDir, ['account', 'login', name, '--json'], { BROWSER: TEST_BROWSER });
}

/**
 * The account as the running Keyway has it, read over the control API in-process (the way the
 * CLI does, without starting a process: polling stays cheap on a loaded machine).
 */
export async function accountOf(_log: CliLog, dataDir: string, name: string): Promise<Account> {
  const { api } = await connectToRunning(dataDir);
  const account = (await api['account.list']({})).find((a) => a.name === name);
  if (!account) throw new Error(`no account ${name}`);
  return account;
}

/** Adds a connection and a client for `NAME/oauth`; returns the proxy URL and the local token. */
export async function connectClient(
  log: CliLog,
  dataDir: string,
  account: string,
  slug: string,
): Promise<{ url: string; token: string }> {
  const conn = await cli(log, dataDir, [
    'connection',
    'add',
    slug,
    '--key',
    `${account}/oauth`,
    '--json',
  ]);
  if (conn.code !== 0) throw new Error(conn.stderr);
  const { url } = JSON.parse(conn.stdout) as { url: string };
  const client = await cli(log, dataDir, [
    'client',
    'add',
    `${slug}-agent`,
    '--connection',
    slug,
    '--json',
  ]);
  if (client.code !== 0) throw new Error(client.stderr);
  const { token } = JSON.parse(client.stdout) as { token: string };
  return { url, token };
}

export async function mcpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

export async function echo(client: Client, text: string): Promise<string> {
  const res = await client.callTool({ name: 'echo', arguments: { text } });
  const first = (res.content as Array<{ type: string; text?: string }>)[0];
  if (res.isError) throw new Error(`echo failed: ${first?.text ?? ''}`);
  return first?.text ?? '';
}

/** Every keychain entry Keyway may hold for an OAuth account, with its value (or undefined). */
export async function keychainOf(
  dataDir: string,
  account: string,
  versionIds: string[],
): Promise<Record<string, string | undefined>> {
  const kc = new OsKeychain();
  const scope = dataDirId(dataDir);
  const names = [
    oauthSecretNames.refreshToken(scope, account),
    oauthSecretNames.clientSecret(scope, account),
    ...versionIds.map((id) => secretNames.keyVersion(id)),
  ];
  const out: Record<string, string | undefined> = {};
  for (const n of names) out[n] = await kc.get(n);
  return out;
}
