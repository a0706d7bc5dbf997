// The rig the OAuth load tests share: an OAuth sandbox whose access tokens live `ttl` seconds,
// a real `keyway serve` on a fresh data directory, MCP client sessions, all torn down after the
// file; and the loop of calls every session makes meanwhile, which records every failure.
import { rm } from 'node:fs/promises';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll } from 'vitest';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { startServe, tempDataDir, type ServeProcess } from './keyway-process';
import { echo, type CliLog } from './oauth-harness';

export interface OAuthLoadRig {
  sandbox: OAuthSandbox;
  dataDir: string;
  serve: ServeProcess;
  log: CliLog;
  /** Sessions pushed here are closed after the file. */
  clients: Client[];
}

/** Registers the teardown; the returned function starts the rig (inside the test). */
export function oauthLoadRig(
  prefix: string,
  accessTokenTtlSec: number,
): () => Promise<OAuthLoadRig> {
  let sandbox: OAuthSandbox | undefined;
  let serve: ServeProcess | undefined;
  let dataDir: string | undefined;
  const clients: Client[] = [];
  afterAll(async () => {
    // Teardown: a session the server already dropped has nothing left to close.
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await serve?.stop();
    await sandbox?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return async () => {
    sandbox = await startOAuthSandbox({ accessTokenTtlSec });
    dataDir = await tempDataDir(prefix);
    serve = await startServe({ dataDir, timeoutMs: 60_000 });
    return { sandbox, dataDir, serve, log: { outputs: [] }, clients };
  };
}

export interface CallLoad {
  /** Resolves once every session has stopped (when `keepGoing` says so). */
  finished: Promise<void>;
  failures: string[];
  calls(): number;
}

/** Each session echoes a numbered text every 100 ms while `keepGoing()`; any miss is a failure. */
export function callEverySession(clients: Client[], keepGoing: () => boolean): CallLoad {
  const failures: string[] = [];
  let calls = 0;
  const finished = Promise.all(
    clients.map(async (client, session) => {
      for (let n = 0; keepGoing(); n++) {
        const text = `call ${session}-${n}`;
        try {
          const back = await echo(client, text);
          if (back !== text) failures.push(`session ${session}: "${back}" for "${text}"`);
          calls++;
        } catch (err) {
          failures.push(`session ${session}: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }),
  ).then(() => undefined);
  return { finished, failures, calls: () => calls };
}
