// Start-up guards: each way Keyway starts loads only what it needs (issue 24). AI clients spawn
// some of these once per session, and `keyway serve` stays in memory all day, so a command that
// quietly goes back to loading everything is a regression these tests catch. They check the
// modules a real run of the built CLI loads (a module-loading hook records them), not timings.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { COMMANDS } from '../../src/cli/commands';
import { runKeyway, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { loadedModules, traceEnv, traceFile, type LoadedModules } from '../support/module-trace';

const COMMAND_CHUNK = /commands?$/;
const SANDBOX_CHUNKS = ['sandbox', 'sandbox-demo', 'oauth-sandbox', 'streamable-endpoint'];

/** The keychain's package and its native build for this platform. */
const isKeychain = (p: string) => /^@napi-rs\/keyring(-|$)/.test(p);

let traces: string;
let dataDir: string;
let serve: ServeProcess;
/** What serve had loaded a moment after its ready line, before any request reached it. */
let serveIdle: LoadedModules;

beforeAll(async () => {
  traces = await tempDataDir('keyway-trace-');
  dataDir = await tempDataDir();
  const file = traceFile(traces, 'serve');
  serve = await startServe({ dataDir, env: traceEnv(file) });
  // A moment after ready, so a load started in the background after the ready line shows too.
  await new Promise((r) => setTimeout(r, 1000));
  serveIdle = await loadedModules(file);
});
afterAll(async () => {
  await serve?.stop();
  await rm(traces, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

async function traced(name: string, args: string[]) {
  const file = traceFile(traces, name);
  const result = await runKeyway(args, { dataDir, env: traceEnv(file) });
  return { result, loaded: await loadedModules(file) };
}

describe('start-up loads only what the command needs', () => {
  it('--version and -V print the version on one line and load no package and no command', async () => {
    for (const flag of ['--version', '-V']) {
      const { result, loaded } = await traced(`version${flag}`, [flag]);
      expect(result).toMatchObject({ code: 0, stdout: `keyway ${pkg.version}\n`, stderr: '' });
      expect(loaded.bundle).toContain('keyway'); // the trace saw the CLI itself
      expect(loaded.packages).toEqual([]);
      expect(loaded.bundle.filter((b) => COMMAND_CHUNK.test(b) || b === 'contract')).toEqual([]);
    }
  });

  it('--help lists every command and loads no package and no command', async () => {
    const { result, loaded } = await traced('help', ['--help']);
    expect(result.code).toBe(0);
    for (const c of COMMANDS) expect(result.stdout).toContain(`  ${c.name} `);
    expect(loaded.bundle).toContain('keyway');
    expect(loaded.packages).toEqual([]);
    expect(loaded.bundle.filter((b) => COMMAND_CHUNK.test(b) || b === 'contract')).toEqual([]);
  });

  it('key ls against the running instance loads its own command and the keychain only', async () => {
    const { result, loaded } = await traced('key-ls', ['key', 'ls']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/no keys/i);
    expect(loaded.packages.filter((p) => !isKeychain(p))).toEqual([]);
    expect(loaded.packages).toContain('@napi-rs/keyring');
    expect(loaded.bundle.filter((b) => COMMAND_CHUNK.test(b))).toEqual(['key-commands']);
    expect(loaded.bundle).not.toContain('contract'); // the schemas, for an input with no fields
  });

  it('serve without --sandbox loads, before its first request, only the keychain and its own light half', async () => {
    const loaded = serveIdle;
    expect(loaded.bundle).toContain('serve-command');
    expect(loaded.bundle.filter((b) => COMMAND_CHUNK.test(b))).toEqual(['serve-command']);
    expect(loaded.bundle.filter((b) => SANDBOX_CHUNKS.includes(b))).toEqual([]);
    // Not the service (keyway-core), not the contract's schemas: zod, the MCP SDK, jose, undici
    // and oidc-provider all come with those, and would stay in an idle instance's memory.
    expect(loaded.bundle).not.toContain('keyway-core');
    expect(loaded.bundle).not.toContain('contract');
    expect(loaded.packages.filter((p) => !isKeychain(p))).toEqual([]);
  });

  it('serve loads its service at the first request that needs it, and answers it', async () => {
    const status = await runKeyway(['account', 'ls'], { dataDir });
    expect(status.code).toBe(0);
    const loaded = await loadedModules(traceFile(traces, 'serve'));
    expect(loaded.bundle).toContain('keyway-core');
    expect(loaded.packages).toContain('zod'); // the contract validates the request
    expect(loaded.bundle.filter((b) => SANDBOX_CHUNKS.includes(b))).toEqual([]);
    expect(loaded.packages).not.toContain('oidc-provider');
    expect(loaded.packages).not.toContain('hono');
    expect(loaded.packages).not.toContain('undici'); // the proxy's client side, at its first call
    const sdk = loaded.urls.filter((u) => u.includes('/@modelcontextprotocol/'));
    expect(
      sdk.filter((u) => /\/(client\/index|server\/(index|mcp|streamableHttp))\.js$/.test(u)),
    ).toEqual([]);
  });

  it('bridge --help loads no package and none of the main CLI', async () => {
    const { result, loaded } = await traced('bridge', ['bridge', '--help']);
    expect(result.code).toBe(0);
    expect(loaded.bundle).toContain('bridge');
    expect(loaded.packages).toEqual([]);
    expect(loaded.bundle).not.toContain('keyway');
  });
});
