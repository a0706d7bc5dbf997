import { expect, test } from '@playwright/test';
import {
  dashboardCreateKey,
  dashboardKeys,
  startSandboxServe,
  type SandboxServe,
} from '../support/ui-serve';
import { expectAccessible, expectNoSecrets, goTo, openUi, shoot } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

test('create a Quave key with two chosen scopes (a third not grantable), then connect Cursor', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: k.serve.url });
  const quave = k.sandbox.vendors.quave;
  // The team's management credential: a Quave MCP key that cannot write config.
  const credential = await dashboardCreateKey(quave.apiUrl, {
    name: 'keyway-management',
    kind: 'mcp-key',
    scopes: ['quave:read', 'quave:read:secrets', 'quave:manage:mcp-keys'],
  });

  await openUi(page, k.serve.ui);
  await goTo(page, 'Create key');

  // 1. Vendor
  await page.getByRole('radio', { name: /^Quave/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  // 2. A new service account, holding the scoped credential
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Account' })).toBeFocused();
  await page.getByRole('radio', { name: /A new service account/ }).check();
  await page.getByLabel('Account name in Keyway').fill('ops-agent');
  await page.getByLabel('Role at Quave').fill('Agent');
  await page.getByLabel('Management credential', { exact: true }).fill(credential.secret);
  await page.getByRole('radio', { name: /A scoped key holding only these scopes/ }).check();
  const held = page.getByRole('group', { name: 'Scopes the credential holds' });
  for (const s of ['quave:read', 'quave:read:secrets', 'quave:manage:mcp-keys'])
    await held.getByRole('checkbox', { name: s, exact: true }).check();
  await page.getByText('Server addresses').click();
  await page.getByLabel('API URL').fill(quave.apiUrl);
  await page.getByLabel('MCP URL').fill(quave.mcpUrl);
  await page.getByRole('button', { name: 'Add account and continue' }).click();

  // 3. Name and scopes: write:config is shown, disabled, with the reason next to it
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Name and scopes' })).toBeVisible();
  await page.getByLabel('Key name').fill('claude');
  const writeConfig = page.getByRole('checkbox', { name: 'quave:write:config', exact: true });
  await expect(writeConfig).toBeDisabled();
  await expect(page.locator('[data-scope="quave:write:config"]')).toContainText('Not grantable:');
  await expect(page.locator('[data-scope="quave:read:secrets"]')).toContainText(
    'Read decrypted secrets',
  );
  await expect(page.getByRole('checkbox', { name: 'quave:read', exact: true })).toBeChecked();
  await page.getByRole('checkbox', { name: 'quave:read:secrets', exact: true }).check();
  await expect(page.getByRole('list', { name: 'Warnings' })).toContainText('quave:read:secrets');
  await shoot(page, 'create-scopes-light');
  await expectAccessible(page, 'create key: scopes step');
  await page.getByRole('button', { name: 'Next' }).click();

  // 4. Options
  await page.getByLabel('Security level').selectOption('strict');
  await page.getByLabel('Rotate every (days)').fill('30');
  await page.getByRole('button', { name: 'Next' }).click();

  // 5. Create at Quave
  await page.getByRole('button', { name: 'Create the key at Quave' }).click();
  await expect(page.getByText(/ops-agent\/claude is in the keychain/)).toBeVisible();
  const minted = (await dashboardKeys(quave.apiUrl)).filter(
    (x) => x.live && x.name !== 'keyway-management',
  );
  expect(minted.map((x) => [...x.scopes].sort())).toContainEqual([
    'quave:read',
    'quave:read:secrets',
  ]);
  await page.getByRole('button', { name: 'Next: connect a client' }).click();

  // 6. Connect Cursor: token shown once, config copied with it
  await page.getByRole('button', { name: 'Create connection' }).click();
  await expect(page.getByText(/Connection quave-claude routes to ops-agent\/claude/)).toBeVisible();
  await page.getByLabel('AI client').selectOption('cursor');
  await page.getByRole('button', { name: 'Add client' }).click();
  const token = (await page.getByLabel('Token for cursor').textContent()) ?? '';
  expect(token).toMatch(/^kwc_/);
  await expect(page.getByRole('tab', { name: 'Cursor' })).toHaveAttribute('aria-selected', 'true');
  await shoot(page, 'create-connect-light');
  await page.getByRole('button', { name: 'Copy Cursor config' }).click();
  await expect(page.getByText('Copied')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const connection = (await k.call('connection.list', {})).find((c) => c.slug === 'quave-claude');
  expect(JSON.parse(copied)).toEqual({
    mcpServers: {
      'quave-claude': { url: connection?.url, headers: { Authorization: `Bearer ${token}` } },
    },
  });

  // Leaving the step drops the token: it is nowhere on the page any more.
  await page.getByRole('button', { name: 'Done — go to keys' }).click();
  const row = page.locator('tr[data-key="ops-agent/claude"]');
  await expect(row).toBeVisible();
  await expect(row.getByRole('list', { name: 'Scopes' })).toHaveText(
    /quave:read\s*quave:read:secrets/,
  );
  await expect(row).toContainText('service account');
  await expectNoSecrets(page, [token, credential.secret]);
});

test('a credential that cannot mint is explained before anything is created', async ({ page }) => {
  const quave = k.sandbox.vendors.quave;
  const weak = await dashboardCreateKey(quave.apiUrl, {
    name: 'read-only',
    kind: 'mcp-key',
    scopes: ['quave:read'],
  });
  await openUi(page, k.serve.ui);
  await goTo(page, 'Create key');
  await page.getByRole('radio', { name: /^Quave/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /A new account/ }).check();
  await page.getByLabel('Account name in Keyway').fill('weak');
  await page.getByLabel('Management credential', { exact: true }).fill(weak.secret);
  await page.getByRole('radio', { name: /A scoped key holding only these scopes/ }).check();
  await page
    .getByRole('group', { name: 'Scopes the credential holds' })
    .getByRole('checkbox', { name: 'quave:read', exact: true })
    .check();
  await page.getByText('Server addresses').click();
  await page.getByLabel('API URL').fill(quave.apiUrl);
  await page.getByLabel('MCP URL').fill(quave.mcpUrl);
  await page.getByRole('button', { name: 'Add account and continue' }).click();
  await expect(page.getByRole('alert')).toContainText(
    "This account's credential cannot create keys",
  );
  await expect(page.getByRole('alert')).toContainText('quave:manage:mcp-keys');
  await page.getByLabel('Key name').fill('never');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expectNoSecrets(page, [weak.secret]);
});
