// `npm run demo`: a throwaway Keyway in a private keychain, so a newcomer can try it without an
// account anywhere. Prints the web UI URL; Ctrl-C stops it and forgets everything.
// Port 8931 taken? `npm run demo -- --port 0` picks any free port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Inside scripts/with-keyring.sh, HOME is that run's private directory, which the script removes
// when it ends however the demo ended (even SIGKILL): the data directory goes with it.
const base =
  process.env.KEYWAY_IN_PRIVATE_KEYRING === '1' && process.env.HOME ? process.env.HOME : tmpdir();
const dataDir = mkdtempSync(join(base, 'keyway-demo-'));
const forget = () => rmSync(dataDir, { recursive: true, force: true });
const port = process.env.KEYWAY_DEMO_PORT ?? '8931';
const serve = spawn(
  process.execPath,
  ['bin/keyway.js', 'serve', '--port', port, '--sandbox', ...process.argv.slice(2)],
  {
    // serve stops when this process's end of its stdin closes: when the demo dies, so does serve.
    env: {
      ...process.env,
      KEYWAY_DATA_DIR: dataDir,
      KEYWAY_STOP_WITH_STDIN: '1',
      KEYWAY_FORGET_DATA_DIR: '1',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
let buffered = '';
let started = false;
serve.stdout.on('data', (chunk) => {
  buffered += chunk.toString();
  let nl;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    // serve promises one JSON line on stdout; anything else is passed on, never parsed.
    let ready;
    try {
      ready = JSON.parse(line);
    } catch {
      if (line.trim()) process.stderr.write(`${line}\n`);
      continue;
    }
    if (!started && ready?.ready) {
      started = true;
      announce(ready).catch((e) => {
        process.stderr.write(`demo: ${e.message}\n`);
        serve.kill('SIGTERM');
      });
    }
  }
});

async function announce(ready) {
  const demo = ready.sandbox?.demo;
  // The OAuth demo: an account at the sandbox's OAuth-protected MCP server, signed out until
  // the newcomer logs in (a browser step), with its connection ready.
  const keyway = (...args) =>
    execFileSync(process.execPath, ['bin/keyway.js', ...args], {
      env: { ...process.env, KEYWAY_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
  let oauthUrl = null;
  if (demo?.oauth) {
    const mcpUrl = demo.oauth.mcpUrl;
    keyway(
      'account',
      'add',
      'demo-oauth',
      '--vendor',
      'custom',
      '--mcp-url',
      mcpUrl,
      '--auth',
      'oauth',
    );
    const added = keyway('connection', 'add', 'demo-oauth', '--key', 'demo-oauth/oauth', '--json');
    oauthUrl = JSON.parse(added).url;
  }
  // The 2026 demo: an account at the sandbox's server that speaks only MCP 2026-07-28 (a custom
  // server to Keyway), with a key made on its dashboard, checked with server/discover by key add.
  let modern = null;
  const modernSite = ready.sandbox?.vendors?.modern;
  if (demo && modernSite) {
    const made = await globalThis.fetch(`${new URL(modernSite.apiUrl).origin}/__sandbox/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'demo-2026' }),
    });
    if (!made.ok) throw new Error(`the 2026 sandbox server made no key (${made.status})`);
    const { secret } = await made.json();
    keyway('account', 'add', 'demo-2026', '--vendor', 'custom', '--mcp-url', modernSite.mcpUrl);
    execFileSync(
      process.execPath,
      ['bin/keyway.js', 'key', 'add', 'demo-2026/agent', '--secret-stdin'],
      { env: { ...process.env, KEYWAY_DATA_DIR: dataDir }, input: secret, encoding: 'utf8' },
    );
    const added = keyway('connection', 'add', 'demo-2026', '--key', 'demo-2026/agent', '--json');
    const client = keyway(
      'client',
      'add',
      'demo-2026-client',
      '--connection',
      'demo-2026',
      '--json',
    );
    modern = { url: JSON.parse(added).url, ...JSON.parse(client) };
  }
  // Cursor's mcp.json entry: the one AI-client config a newcomer can paste as is.
  const cursor = demo && {
    mcpServers: {
      'keyway-demo': { url: demo.url, headers: { Authorization: `Bearer ${demo.token}` } },
    },
  };
  process.stdout.write(
    [
      '',
      'Keyway demo is running against local sandbox vendors (temporary data, private keychain).',
      `  Web UI:     ${ready.ui}`,
      demo
        ? `  Proxy URL:  ${demo.url}   (key ${demo.key} at the sandbox Quave, client ${demo.client})`
        : '',
      // The demo's keychain lives on a private D-Bus session; other shells reach it by address.
      `  CLI:        DBUS_SESSION_BUS_ADDRESS=${process.env.DBUS_SESSION_BUS_ADDRESS ?? ''} KEYWAY_DATA_DIR=${dataDir} node bin/keyway.js key ls`,
      modern
        ? `  MCP 2026:   ${modern.url}   (key demo-2026/agent at the sandbox's 2026-07-28-only server, client ${modern.name}, token ${modern.token})`
        : '',
      oauthUrl
        ? `  OAuth:      the same CLI line with \`account login demo-oauth\` signs in to the sandbox's OAuth MCP server; proxy URL ${oauthUrl}`
        : '',
      "  Sandbox vendors (the wizard's API and MCP URLs for each; keys from their dashboards):",
      ...Object.entries(ready.sandbox?.vendors ?? {}).map(
        ([id, v]) =>
          `    ${id.padEnd(8)} API ${v.apiUrl}   MCP ${v.mcpUrl}   dashboard ${v.dashboardUrl}   speaks MCP ${v.era}`,
      ),
      '  Stop:       Ctrl-C',
      '',
      ...(cursor
        ? ['Paste into Cursor (~/.cursor/mcp.json):', JSON.stringify(cursor, null, 2), '']
        : []),
    ].join('\n'),
  );
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill('SIGTERM'));
serve.on('close', (code) => {
  forget();
  if (!started && code)
    process.stderr.write(
      'demo: keyway serve did not start; port taken? try `npm run demo -- --port 0`\n',
    );
  process.exit(code ?? 1);
});
