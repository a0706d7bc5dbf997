// `npm run demo`: a throwaway Keyway in a private keychain, so a newcomer can try it without an
// account anywhere. Prints the web UI URL; Ctrl-C stops it and forgets everything.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'keyway-demo-'));
const port = process.env.KEYWAY_DEMO_PORT ?? '8931';
const serve = spawn(
  process.execPath,
  ['bin/keyway.js', 'serve', '--port', port, '--sandbox', ...process.argv.slice(2)],
  {
    env: { ...process.env, KEYWAY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let buffered = '';
serve.stdout.on('data', (chunk) => {
  buffered += chunk.toString();
  if (!buffered.includes('\n')) return;
  const ready = JSON.parse(buffered.split('\n')[0]);
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
      oauthUrl
        ? `  OAuth:      the same CLI line with \`account login demo-oauth\` signs in to the sandbox's OAuth MCP server; proxy URL ${oauthUrl}`
        : '',
      '  Stop:       Ctrl-C',
      '',
      ...(cursor
        ? ['Paste into Cursor (~/.cursor/mcp.json):', JSON.stringify(cursor, null, 2), '']
        : []),
    ].join('\n'),
  );
  buffered = '';
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill('SIGTERM'));
serve.on('close', (code) => process.exit(code ?? 1));
