/**
 * `keyway serve --sandbox` for the browser tests: the ready line's sandbox URLs and demo, the
 * control API as a test would call it, and the sandbox vendors' "dashboard" over HTTP.
 */
import { rm } from 'node:fs/promises';
import type { OpInput, OpName, OpOutput } from '../../src/shared/contract';
import { controlToken, startServe, tempDataDir, type ServeProcess } from './keyway-process';
import type { SandboxReady } from './sandbox-admin';

export type { SandboxReady } from './sandbox-admin';

export interface SandboxServe {
  serve: ServeProcess;
  dataDir: string;
  token: string;
  sandbox: SandboxReady;
  call<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>>;
  stop(): Promise<void>;
}

export async function startSandboxServe(env?: NodeJS.ProcessEnv): Promise<SandboxServe> {
  const dataDir = await tempDataDir('keyway-ui-');
  const serve = await startServe({
    dataDir,
    args: ['--sandbox'],
    timeoutMs: 30_000,
    ...(env ? { env } : {}),
  });
  const ready = JSON.parse(serve.output().stdout.split('\n')[0] ?? '{}') as {
    sandbox?: SandboxReady;
  };
  if (!ready.sandbox) throw new Error('keyway serve --sandbox printed no sandbox URLs');
  const token = controlToken(serve.ui);
  return {
    serve,
    dataDir,
    token,
    sandbox: ready.sandbox,
    call: (name, input) => controlCall(serve.url, token, name, input),
    stop: async () => {
      await serve.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function controlCall<N extends OpName>(
  url: string,
  token: string,
  name: N,
  input: OpInput<N>,
): Promise<OpOutput<N>> {
  const res = await fetch(`${url}/api/op/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: OpOutput<N>; error?: { message: string } };
  if (body.error) throw new Error(`${name}: ${body.error.message}`);
  return body.result as OpOutput<N>;
}

/** What a person does in the vendor's dashboard: make a key; its plaintext is shown once. */
export async function dashboardCreateKey(
  apiUrl: string,
  opts: { name?: string; scopes?: string[]; kind?: 'mcp-key' | 'user-token' } = {},
): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${new URL(apiUrl).origin}/__sandbox/keys`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(opts),
  });
  if (res.status !== 201)
    throw new Error(`sandbox createKey: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string };
}

export async function dashboardRevokeKey(apiUrl: string, idOrSecret: string): Promise<void> {
  const res = await fetch(
    `${new URL(apiUrl).origin}/__sandbox/keys/${encodeURIComponent(idOrSecret)}`,
    { method: 'DELETE' },
  );
  if (res.status !== 200) throw new Error(`sandbox revokeKey: HTTP ${res.status}`);
}

/** Whether the vendor still accepts this key. */
export async function dashboardIsLive(apiUrl: string, secret: string): Promise<boolean> {
  const res = await fetch(`${new URL(apiUrl).origin}/__sandbox/live`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ secret }),
  });
  return ((await res.json()) as { live: boolean }).live;
}

export async function dashboardKeys(
  apiUrl: string,
): Promise<Array<{ id: string; name: string; scopes: string[]; live: boolean }>> {
  const res = await fetch(`${new URL(apiUrl).origin}/__sandbox/keys`);
  return (await res.json()) as Array<{ id: string; name: string; scopes: string[]; live: boolean }>;
}
