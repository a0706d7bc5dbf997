// `keyway export` / `keyway import` of an OAuth account: it stays an OAuth account (auth: oauth,
// with a pre-registered client ID but never a secret or a token), its connection and client come
// along, and the teammate is told to log in rather than asked to paste a key.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOAuthSandbox, type OAuthSandbox } from '../../src/sandbox/oauth/oauth-sandbox';
import { runKeyway } from '../support/keyway-process';
import {
  addAndLogin,
  proxyFor,
  refreshTokenOf,
  startOAuthRuntime,
  type OAuthRuntime,
} from '../support/oauth-runtime';

let sandbox: OAuthSandbox;
let mine: OAuthRuntime;
let mate: OAuthRuntime;

beforeAll(async () => {
  sandbox = await startOAuthSandbox();
  mine = await startOAuthRuntime('keyway-oauth-export-');
  mate = await startOAuthRuntime('keyway-oauth-import-');
}, 60_000);

afterAll(async () => {
  await mine?.close();
  await mate?.close();
  await sandbox?.close();
});

it('an OAuth account is exported and imported as one: the teammate logs in, pastes nothing', async () => {
  await addAndLogin(mine.rt, 'notes', sandbox.mcpUrl);
  await proxyFor(mine.rt, 'notes');
  await mine.rt.service.api['account.addOAuth']({
    name: 'wiki',
    mcpUrl: sandbox.mcpUrl,
    clientId: 'wiki-client',
    clientSecret: 'wiki-client-secret-value',
    scopes: ['mcp:tools'],
  });
  const exported = await runKeyway(['export'], { dataDir: mine.dataDir });
  expect(exported.code, exported.stderr).toBe(0);
  const yaml = exported.stdout;
  expect(yaml).toMatch(/name: notes[\s\S]*?auth: oauth/);
  expect(yaml).toMatch(/name: wiki[\s\S]*?auth: oauth\s+clientId: wiki-client/);
  expect(yaml).toMatch(/ref: notes\/oauth/);
  const token = mine.rt.service.ctx.store.current.keys.find((k) => k.ref === 'notes/oauth')!;
  expect(token.versions.length).toBeGreaterThan(0);
  for (const secret of [
    'wiki-client-secret-value',
    (await refreshTokenOf(mine.dataDir, 'notes'))!,
    ...sandbox.stats.accessTokensIssued,
  ])
    expect(yaml).not.toContain(secret);

  const file = join(mate.dataDir, 'team.yaml');
  await writeFile(file, yaml);
  const imported = await runKeyway(['import', file, '--credentials-stdin'], {
    dataDir: mate.dataDir,
    stdin: 'wiki=wiki-client-secret-value\n',
  });
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toMatch(/account notes: signs in with OAuth: keyway account login notes/);
  expect(imported.stdout).not.toMatch(/paste/i);
  const doc = mate.rt.service.ctx.store.current;
  const notes = doc.accounts.find((a) => a.name === 'notes')!;
  expect(notes.oauth?.state).toBe('signed-out');
  expect(notes.hasCredential).toBe(false);
  const wiki = doc.accounts.find((a) => a.name === 'wiki')!;
  expect(wiki.oauth).toMatchObject({
    clientId: 'wiki-client',
    clientSource: 'pre-registered',
    hasClientSecret: true,
    scopes: ['mcp:tools'],
  });
  expect(doc.keys.map((k) => k.ref).sort()).toEqual(['notes/oauth', 'wiki/oauth']);
  expect(doc.connections.map((c) => [c.slug, c.key])).toEqual([['notes', 'notes/oauth']]);
  expect(doc.clients.map((c) => c.name)).toEqual(['notes-agent']);
}, 120_000);
