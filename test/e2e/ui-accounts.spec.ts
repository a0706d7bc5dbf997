import { expect, test } from '@playwright/test';
import { startBackgroundCaller } from '../support/ui-mcp-caller';
import { startSandboxServe, type SandboxServe } from '../support/ui-serve';
import {
  expectAccessible,
  expectNoSecrets,
  goTo,
  openOverview,
  openUi,
  shoot,
} from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

test('a key is rotated from its row with the keyboard alone', async ({ page }) => {
  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="demo/agent"]');
  const before = await row.locator('.mono').first().textContent();
  const menu = row.getByRole('button', { name: 'More actions for demo/agent' });
  await menu.focus();
  // The menu: ArrowDown opens it on the first item, arrows wrap, Escape closes it and focus returns.
  await page.keyboard.press('ArrowDown');
  const items = page.getByRole('menu', { name: 'actions for demo/agent' }).getByRole('menuitem');
  await expect(items).toHaveText([
    'Rotation period… of demo/agent',
    'Copy proxy URL for demo/agent',
    'Copy key demo/agent',
    'Revoke… demo/agent',
  ]);
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(items.last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await shoot(page, 'keys-menu-light');
  await expectAccessible(page, 'key row menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(menu).toBeFocused();

  // Rotate is one Shift+Tab away from the menu button, and one key press.
  await page.keyboard.press('Shift+Tab');
  await expect(row.getByRole('button', { name: 'Rotate demo/agent' })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Rotate demo/agent' });
  await expect(dialog.getByText(/^Rotated\. demo\/agent now uses the key ending in/)).toBeVisible({
    timeout: 30_000,
  });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row.locator('.mono').first()).not.toHaveText(before ?? '');
});

test('an account is edited, its credential replaced, and its removal refused with the reason', async ({
  page,
}) => {
  await openOverview(page, k.serve.ui);
  await goTo(page, 'Accounts');
  const card = page.locator('article[data-account="demo"]');
  await expect(card.getByText('Quave')).toBeVisible();
  await expect(card.getByText('service account')).toBeVisible();
  await expect(card.getByText(/Keyway can create and revoke keys with it/)).toBeVisible();
  await expect(card.getByRole('button', { name: 'agent' })).toBeVisible();
  await shoot(page, 'accounts-light');
  await expectAccessible(page, 'accounts');

  // Edit its MCP URL (same server, a trailing query the sandbox ignores).
  const quave = k.sandbox.vendors.quave;
  const newMcp = `${quave.mcpUrl}?edited=1`;
  await card.getByRole('button', { name: 'Edit account demo' }).click();
  const form = page.getByRole('form', { name: 'Edit account demo' });
  await form.getByLabel('MCP URL').fill(newMcp);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Account demo saved')).toBeVisible();
  await expect(form).toBeHidden();
  await expect(card.getByText(newMcp)).toBeVisible();
  expect((await k.call('account.list', {})).find((a) => a.name === 'demo')?.mcpUrl).toBe(newMcp);

  // Replace the credential (this runs last: the demo's real one is not known to the test). The
  // value goes to the keychain through the service and leaves the page.
  await card.getByRole('button', { name: 'Replace credential of demo' }).click();
  const cred = page.getByRole('form', { name: 'Replace the credential of demo' });
  const secret = `quave-credential-${Date.now()}`;
  await cred.getByLabel(/management credential/).fill(secret);
  await cred.getByRole('button', { name: 'Replace credential' }).click();
  await expect(page.getByText('The new credential of demo is in the keychain')).toBeVisible();
  await expect(cred).toBeHidden();
  await expectNoSecrets(page, [secret]);

  // Removal is refused while a key depends on the account, with the service's reason.
  await card.getByRole('button', { name: 'Remove account demo' }).click();
  const reason = await k.call('account.remove', { name: 'demo' }).then(
    () => 'removed',
    (err: Error) => err.message.replace(/^account\.remove: /, ''),
  );
  expect(reason).not.toBe('removed');
  await expect(card.getByRole('alert')).toHaveText(`Not removed: ${reason}`);
  await expect(card).toBeVisible();
  await shoot(page, 'accounts-refused-light');
});

test('a connection’s upstream is changed; its client keeps working through it', async ({
  page,
}) => {
  await openOverview(page, k.serve.ui);
  await goTo(page, 'Connections');
  const quave = k.sandbox.vendors.quave;
  const upstream = `${quave.mcpUrl}?via=ui`;
  await page.getByRole('button', { name: 'Change upstream or key of demo' }).click();
  const form = page.getByRole('form', { name: 'Edit connection demo' });
  await expect(form.getByLabel('Key')).toHaveValue('demo/agent');
  await form.getByLabel('Upstream MCP URL').fill(upstream);
  await shoot(page, 'connection-edit-light');
  await expectAccessible(page, 'connection edit form');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByText('Connection demo saved; its clients keep their tokens'),
  ).toBeVisible();
  await expect(page.getByText(upstream)).toBeVisible();
  const conn = (await k.call('connection.list', {})).find((c) => c.slug === 'demo');
  expect(conn?.upstream).toBe(upstream);
  const demo = k.sandbox.demo!;
  const agent = await startBackgroundCaller(demo.url, demo.token);
  try {
    await expect.poll(() => agent.ok()).toBeGreaterThan(2);
  } finally {
    await agent.stop();
  }
  expect(agent.errors()).toEqual([]);
});
