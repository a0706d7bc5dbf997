#!/usr/bin/env node
// Keyway as the client of the MCP conformance suite's client auth scenarios. The suite starts a
// scenario's servers and runs this script with the MCP URL as its last argument. Like a user:
// add an OAuth account for that URL (with the scenario's pre-registered client when it gives
// one), log in with a $BROWSER that follows the redirects, put a connection and a client on its
// key, and call a tool through Keyway's proxy with a real MCP SDK client.
// Needs a running `keyway serve` for $KEYWAY_DATA_DIR and a built CLI (npm run build).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
// The MCP SDK v2 client: it speaks 2026-07-28 (stateless, MCP-Protocol-Version on every
// request) to the scenarios of that revision and falls back to 2025-11-25 for the older ones.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const root = resolve(import.meta.dirname, '..');
const keywayBin = resolve(root, 'bin/keyway.js');
const browser = resolve(root, 'scripts/oauth-test-browser.js');
const serverUrl = process.argv.at(-1);
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');

/** One `keyway …` run; resolves to its stdout, rejects with its one-line error. */
function keyway(args, { stdin, env } = {}) {
  return new Promise((resolveRun, reject) => {
    const child = execFile(
      process.execPath,
      [keywayBin, ...args],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) =>
        err ? reject(new Error(stderr.trim() || err.message)) : resolveRun(stdout),
    );
    child.stdin.end(stdin ?? '');
  });
}

const name = `conf-${randomBytes(4).toString('hex')}`;
// The client credentials extension (SEP-1046): an agent's service account, no browser. The
// scenario hands over its client id and secret, or a PEM private key (private_key_jwt).
const serviceAccount = /^auth\/client-credentials-/.test(
  process.env.MCP_CONFORMANCE_SCENARIO ?? '',
);
const add = [
  'account',
  'add',
  name,
  '--vendor',
  'custom',
  '--mcp-url',
  serverUrl,
  '--auth',
  'oauth',
];
if (serviceAccount) {
  add[add.length - 1] = 'client-credentials';
  add.push('--client-id', context.client_id);
  add.push(context.private_key_pem ? '--private-key-stdin' : '--client-secret-stdin');
  await keyway(add, { stdin: context.private_key_pem ?? context.client_secret });
} else {
  if (context.client_id) add.push('--client-id', context.client_id);
  if (context.client_secret) add.push('--client-secret-stdin');
  await keyway(add, { stdin: context.client_secret });
  await keyway(['account', 'login', name, '--json'], { env: { BROWSER: browser } });
}
const { url } = JSON.parse(
  await keyway(['connection', 'add', name, '--key', `${name}/oauth`, '--json']),
);
const { token } = JSON.parse(
  await keyway(['client', 'add', `${name}-client`, '--connection', name, '--json']),
);

const client = new Client(
  { name: 'keyway-conformance', version: '1.0.0' },
  { versionNegotiation: { mode: 'auto' } },
);
await client.connect(
  new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  }),
);
/** The account's OAuth state, polled briefly: Keyway records a refusal just after answering. */
async function needsLogin() {
  for (let i = 0; i < 10; i++) {
    const accounts = JSON.parse(await keyway(['account', 'ls', '--json']));
    if (accounts.find((a) => a.name === name)?.oauth?.state === 'needs-login') return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

// When the server wants more scopes (step-up) or no longer takes the session (it moved to
// another authorization server), Keyway marks the account "needs login"; the user logs in
// again, as Keyway's error says, and retries, at most three times.
let logins = 1;
async function asUser(call) {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (logins >= 3 || !(await needsLogin())) throw err;
      logins += 1;
      await keyway(['account', 'login', name, '--json'], { env: { BROWSER: browser } });
    }
  }
}

const { tools } = await asUser(() => client.listTools());
if (tools[0]) await asUser(() => client.callTool({ name: tools[0].name, arguments: {} }));
await client.close();
console.log(`${name}: logged in and called ${tools[0]?.name ?? 'no tool'} through Keyway`);
