/**
 * What a newcomer meets (issue 22, the UI half): the overview never says all is well while
 * agents fail, an OAuth key never signed in says so and signs in from the user's own browser,
 * refused requests are counted, and Settings does what it says.
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { initializeThroughProxy } from '../support/mcp-initialize';
import { startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectAccessible, goTo, openOverview, openUi, shoot } from '../support/ui-page';

let k: SandboxServe;
let scratch: string;
/** Where the $BROWSER stand-in writes a URL if the server ever opens a browser itself. */
let opened: string;
test.beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'keyway-ui-browser-'));
  opened = join(scratch, 'opened');
  const browser = join(scratch, 'browser.sh');
  await writeFile(browser, `#!/bin/sh\necho "$1" >> '${opened}'\n`, { mode: 0o755 });
  k = await startSandboxServe({ BROWSER: browser });
});
test.afterAll(async () => {
  await k.stop();
  await rm(scratch, { recursive: true, force: true });
});

const attention = (page: Page) => page.getByRole('list', { name: 'Needs attention' });
const item = (page: Page, kind: string) => attention(page).locator(`li[data-kind="${kind}"]`);
const allWell = (page: Page) => page.getByText(/^Nothing needs you/);

test('a stale link (a refused control token) gets its own page, not an empty app', async ({
  page,
}) => {
  const url = new URL(k.serve.ui);
  await page.goto(`${url.origin}/#token=kwctl_wrong`);
  await expect(page.getByRole('alert')).toHaveText(/Keyway refused this page’s access token/);
  await expect(page.getByRole('heading', { name: 'Overview' })).toHaveCount(0);
  await expect(page.getByText('No active keys yet')).toHaveCount(0);
  await expectAccessible(page, 'refused token');
});

test('the page loads with a favicon and no 404', async ({ page }) => {
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await openOverview(page, k.serve.ui);
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBeTruthy();
  const res = await page.request.get(new URL(icon!, k.serve.url).href);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('image/svg+xml');
  expect(missing).toEqual([]);
});

test('a paused proxy is on the attention list with Resume, and its refusals are counted', async ({
  page,
}) => {
  const demo = k.sandbox.demo!;
  await openOverview(page, k.serve.ui);
  await expect(allWell(page)).toBeVisible();
  await k.call('proxy.setPaused', { paused: true });
  await expect(item(page, 'proxy-paused')).toContainText('The proxy is paused');
  await expect(allWell(page)).toHaveCount(0);
  // An agent calls meanwhile: Keyway refuses it, and the overview counts it by cause.
  expect((await initializeThroughProxy(demo.url, demo.token)).status).toBe(503);
  const byConnection = page.getByRole('table', { name: 'By connection' });
  await expect(byConnection.locator('tr[data-series="demo"] td.refused')).toHaveText(
    /\d+ proxy paused/,
  );
  const stats = (await k.call('connection.stats', {})).connections.demo!;
  const history = (await k.call('traffic.history', {})).connections.find((c) => c.name === 'demo')!;
  expect([history.requests, history.errors]).toEqual([stats.requests, stats.errors]);
  await shoot(page, 'overview-paused-light');
  await expectAccessible(page, 'overview, proxy paused');
  await item(page, 'proxy-paused').getByRole('button', { name: 'Resume proxy' }).click();
  await expect(item(page, 'proxy-paused')).toHaveCount(0);
  await expect(allWell(page)).toBeVisible();
  expect((await k.call('status', {})).proxy.paused).toBe(false);
});

test('an OAuth key never signed in says so, and Log in opens the sign-in page in this browser', async ({
  page,
}) => {
  // The ready line's demo carries the sandbox's OAuth-protected MCP server (sandbox-demo.ts).
  const demo = k.sandbox.demo as unknown as { oauth: { mcpUrl: string } };
  await k.call('account.addOAuth', { name: 'notes', mcpUrl: demo.oauth.mcpUrl });
  await openOverview(page, k.serve.ui);
  await expect(item(page, 'account-signed-out')).toContainText('notes is not signed in');
  await goTo(page, 'Keys');
  const row = page.locator('tr[data-key="notes/oauth"]');
  await expect(row.locator('.badge')).toHaveText('Not signed in');
  await expect(row).not.toContainText('Every version is revoked');
  const login = row.getByRole('button', { name: 'Log in for notes/oauth' });
  await expect(login).toHaveClass(/\bbutton\b/);
  await shoot(page, 'keys-oauth-light');
  await expectAccessible(page, 'keys, OAuth key not signed in');
  // The new tab goes to the authorization page (the sandbox consents at once and sends it back
  // to Keyway's callback, which finishes the login).
  const authorize = page
    .context()
    .waitForEvent('request', (r) => r.url().includes('code_challenge='));
  const [tab] = await Promise.all([page.waitForEvent('popup'), login.click()]);
  expect(new URL((await authorize).url()).searchParams.get('response_type')).toBe('code');
  await expect(row.locator('.badge')).toHaveText('Active', { timeout: 30_000 });
  await tab.close();
  // The server opened nothing itself (it used to run xdg-open / $BROWSER).
  await expect(access(opened)).rejects.toThrow();

  await goTo(page, 'Accounts');
  const card = page.locator('article[data-account="notes"]');
  // Signed in now: its buttons are styled like every other (Log in was a bare <button>).
  await expect(card.getByRole('button', { name: 'Log out' })).toHaveClass(/\bbutton\b/);
  await expect(card).not.toContainText('Management credential');
  await expect(card.getByRole('button', { name: /credential/ })).toHaveCount(0);
  await k.call('account.remove', { name: 'notes' }).catch(() => undefined);
});

test('the keys screen in the dark theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openUi(page, k.serve.ui);
  // The theme button follows the system's theme too: pressed.
  await expect(page.getByRole('button', { name: 'Dark theme', pressed: true })).toBeVisible();
  await shoot(page, 'keys-dark');
  await expectAccessible(page, 'keys, dark');
});

test('rotation settings say what happens when a key is due, and offer never', async ({ page }) => {
  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="demo/agent"]');
  await row.getByRole('button', { name: 'More actions for demo/agent' }).click();
  await page.getByRole('menuitem', { name: 'Rotation period… of demo/agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotation period of demo/agent' });
  await expect(dialog).toContainText('Keyway rotates it itself');
  await expect(dialog).not.toContainText('reminds you');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await goTo(page, 'Settings');
  await expect(page.getByLabel('Never rotate new keys on a schedule')).toBeVisible();
  await expect(page.locator('form[aria-label="Proxy and rotation"]')).not.toContainText(
    'reminds you',
  );
});

test('Settings: the proxy port refuses < 1024, and a new port says which clients to reinstall', async ({
  page,
}) => {
  await openOverview(page, k.serve.ui);
  await goTo(page, 'Settings');
  const port = page.getByLabel('Proxy port');
  const save = page.getByRole('button', { name: 'Save settings' });
  await port.fill('80');
  await expect(page.getByText(/Ports below 1024 need administrator rights/)).toBeVisible();
  await expect(save).toBeDisabled();
  await port.fill('18931');
  await expect(save).toBeEnabled();
  const note = page.getByRole('status').filter({ hasText: 'still point at the old port' });
  await expect(note).toContainText(
    `keyway client config ${k.sandbox.demo!.client} --for KIND --install`,
  );
  // Version and Address in a card of their own, not inside Keychain.
  const keychain = page.getByRole('region', { name: 'Keychain' });
  await expect(keychain).not.toContainText('Version');
  const about = page.getByRole('region', { name: 'This Keyway' });
  await expect(about).toContainText('Version');
  await expect(about).toContainText(k.serve.url);
  await shoot(page, 'settings-light');
  await expectAccessible(page, 'settings, port moved');
});

test('a revoked key that connections still use names them and their clients, with the fix', async ({
  page,
}) => {
  const demo = k.sandbox.demo!;
  await k.call('key.revoke', { ref: 'demo/agent' });
  await openOverview(page, k.serve.ui);
  const revoked = item(page, 'key-revoked-in-use');
  await expect(revoked).toContainText('demo/agent is revoked but connection “demo” still uses it');
  await expect(revoked).toContainText(`Client “${demo.client}” gets errors on every call`);
  await expect(revoked).toContainText('Connections → Edit');
  await expect(allWell(page)).toHaveCount(0);
  await shoot(page, 'overview-revoked-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'overview-revoked-dark');
  await expectAccessible(page, 'overview, revoked key in use, dark');
  await revoked.getByRole('button', { name: /Open Connections/ }).click();
  await expect(page.getByRole('heading', { name: 'Connections and clients' })).toBeVisible();
});
