// `npm run demo` / `keyway serve --sandbox`: the wizard's server addresses are the instance's own
// sandbox vendors (not the real vendors' hosts, which a demo cannot reach), and every "open the
// dashboard" link of a sandbox account opens the sandbox's own page. Where Keyway knows no
// dashboard page for an account, the UI says so instead of linking anywhere.
import { expect, test, type Page } from '@playwright/test';
import { dashboardCreateKey, startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectAccessible, goTo, openUi, shoot } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

/** Vendor and a new service account in the wizard, leaving the server addresses as they come. */
async function newAccount(page: Page, vendor: string, name: string): Promise<void> {
  await openUi(page, k.serve.ui);
  await goTo(page, 'Create key');
  await page.getByRole('radio', { name: new RegExp(`^${vendor}`) }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /A new service account/ }).check();
  await page.getByLabel('Account name in Keyway').fill(name);
}

/** Name and scopes, then options: straight to the create (or paste) step. */
async function toCreateStep(page: Page, keyName: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Name and scopes' })).toBeVisible();
  await page.getByLabel('Key name').fill(keyName);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
}

test('the wizard defaults to the sandbox Specivo, and its dashboard link opens the sandbox page', async ({
  page,
}) => {
  const specivo = k.sandbox.vendors.specivo;
  await newAccount(page, 'Specivo', 'spec-demo');
  const addresses = page.getByText('Server addresses');
  await expect(addresses).toContainText('the local sandbox');
  await addresses.click();
  await expect(page.getByLabel('API URL')).toHaveValue(specivo.apiUrl);
  await expect(page.getByLabel('MCP URL')).toHaveValue(specivo.mcpUrl);
  await shoot(page, 'sandbox-defaults-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'sandbox-defaults-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Add account and continue' }).click();
  await toCreateStep(page, 'claude');

  const link = page.getByRole('link', { name: 'Open the Specivo dashboard' });
  await expect(link).toHaveAttribute('href', specivo.dashboardUrl);
  await expect(page.locator('.guided')).toContainText('the local sandbox');
  await shoot(page, 'sandbox-dashboard-link-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'sandbox-dashboard-link-dark');
  await expectAccessible(page, 'create key: the sandbox dashboard link (dark)');
  await page.emulateMedia({ colorScheme: 'light' });
  const [tab] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await expect(tab).toHaveTitle(/^Specivo/);
  await tab.close();

  // The account really is at the sandbox: a key made in its dashboard is verified there.
  const made = await dashboardCreateKey(specivo.apiUrl, { name: 'claude', scopes: ['mcp'] });
  await page.getByLabel('Paste the Specivo key').fill(made.secret);
  await page.getByRole('button', { name: 'Save the key in the keychain' }).click();
  await expect(page.getByText(/spec-demo\/claude is in the keychain/)).toBeVisible();
  const account = (await k.call('account.list', {})).find((a) => a.name === 'spec-demo');
  expect(account?.mcpUrl).toBe(specivo.mcpUrl);
});

test("Custom: the sandbox's header and its admin page; elsewhere, no dashboard link at all", async ({
  page,
}) => {
  const custom = k.sandbox.vendors.custom;
  await newAccount(page, 'Custom', 'own-demo');
  // The sandbox's custom server reads its key from X-Api-Key, without a prefix.
  await expect(page.getByLabel('Header the server reads')).toHaveValue('X-Api-Key');
  await expect(page.getByLabel('Prefix before the key')).toHaveValue('');
  await page.getByText('Server addresses').click();
  await expect(page.getByLabel('MCP URL')).toHaveValue(custom.mcpUrl);
  await page.getByRole('button', { name: 'Add account and continue' }).click();
  await toCreateStep(page, 'agent');
  await expect(page.getByRole('link', { name: 'Open the Custom dashboard' })).toHaveAttribute(
    'href',
    custom.dashboardUrl,
  );

  // A Custom server that is not the sandbox: Keyway knows no page for it, and says so.
  await k.call('account.add', {
    name: 'own-elsewhere',
    vendor: 'custom',
    mcpUrl: 'http://127.0.0.1:9/mcp',
    serviceAccount: false,
  });
  await page.goto('about:blank');
  await openUi(page, k.serve.ui);
  await goTo(page, 'Create key');
  await page.getByRole('radio', { name: /^Custom/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /own-elsewhere/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await toCreateStep(page, 'agent');
  const guided = page.locator('.guided');
  await expect(guided).toContainText('Keyway knows no dashboard page for this server');
  await expect(guided.getByRole('link')).toHaveCount(0);
  await shoot(page, 'custom-no-dashboard-light');
  await expectAccessible(page, 'create key: no dashboard page');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'custom-no-dashboard-dark');
});
