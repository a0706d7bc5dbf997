import { expect, test } from '@playwright/test';
import { dashboardKeys, startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectAccessible, openUi, shoot, rowMenuItem } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

test('revoke a key: confirm in a dialog, and Quave no longer accepts it', async ({ page }) => {
  const quave = k.sandbox.vendors.quave;
  const spare = await k.call('key.create', { ref: 'demo/spare', scopes: ['quave:read'] });
  const vendorKeyId = spare.version.vendorKeyId;
  expect((await dashboardKeys(quave.apiUrl)).find((x) => x.id === vendorKeyId)?.live).toBe(true);

  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="demo/spare"]');
  await (await rowMenuItem(page, 'demo/spare', 'Revoke… demo/spare')).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke demo/spare' });
  await expect(dialog.getByText('No connection uses this key.')).toBeVisible();
  await shoot(page, 'revoke-confirm-light');
  await expectAccessible(page, 'revoke dialog');
  await dialog.getByRole('button', { name: 'Revoke demo/spare' }).click();
  await expect(dialog.getByText(/Revoked 1 version of demo\/spare/)).toBeVisible();
  await expect(dialog.locator('li[data-step="revoke"]')).toHaveAttribute('data-state', 'done');
  await expect(dialog.locator('li[data-step="forget"]')).toHaveAttribute('data-state', 'done');
  expect((await dashboardKeys(quave.apiUrl)).find((x) => x.id === vendorKeyId)?.live).toBe(false);

  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(row.getByText('No active key')).toBeVisible();
  // A revoked key can only be forgotten.
  await expect(row.getByRole('button', { name: 'Rotate demo/spare' })).toHaveCount(0);
  await row.getByRole('button', { name: 'Remove demo/spare' }).click();
  await expect(row).toHaveCount(0);
});

test('revoking a key in use names the connections that will stop working', async ({ page }) => {
  await openUi(page, k.serve.ui);
  await (await rowMenuItem(page, 'demo/agent', 'Revoke… demo/agent')).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke demo/agent' });
  await expect(dialog.getByText('Agents using demo stop working at once.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('tr[data-key="demo/agent"]').getByText('Active')).toBeVisible();
});
