import { expect, test } from '@playwright/test';
import {
  dashboardCreateKey,
  dashboardIsLive,
  dashboardRevokeKey,
  startSandboxServe,
  type SandboxServe,
} from '../support/ui-serve';
import { expectAccessible, expectNoSecrets, openUi, shoot } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

test('guided Specivo rotation: paste the new key, revoke the old one in the dashboard, confirmed', async ({
  page,
}) => {
  const specivo = k.sandbox.vendors.specivo;
  const old = await dashboardCreateKey(specivo.apiUrl, { name: 'claude-1', scopes: ['mcp'] });
  await k.call('account.add', {
    name: 'spec',
    vendor: 'specivo',
    apiUrl: specivo.apiUrl,
    mcpUrl: specivo.mcpUrl,
    serviceAccount: true,
  });
  await k.call('key.add', { ref: 'spec/agent', secret: old.secret, scopes: ['mcp'] });
  const fresh = await dashboardCreateKey(specivo.apiUrl, { name: 'claude-2', scopes: ['mcp'] });

  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="spec/agent"]');
  await row.getByRole('button', { name: 'Rotate spec/agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate spec/agent' });
  await expect(dialog.getByRole('link', { name: 'Open the Specivo dashboard' })).toHaveAttribute(
    'href',
    specivo.dashboardUrl,
  );

  // Validated as you type.
  const paste = dialog.getByLabel('New Specivo key');
  const swapIn = dialog.getByRole('button', { name: 'Verify and swap in' });
  await paste.fill('sk_not_a_specivo_key_at_all');
  await expect(dialog.getByText(/start with spv_/)).toBeVisible();
  await expect(swapIn).toBeDisabled();
  await paste.fill(fresh.secret);
  await expect(dialog.getByText('Looks like a Specivo key.')).toBeVisible();
  await shoot(page, 'guided-paste-light');
  await expectAccessible(page, 'guided rotation: paste');
  await swapIn.click();

  // Swapped in; now the user must revoke the old key in the dashboard.
  await expect(dialog.getByText('The new key is verified and in use')).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    dialog.getByRole('heading', {
      name: `Revoke the old key (…${old.secret.slice(-4)}) in Specivo`,
    }),
  ).toBeVisible();
  const check = dialog.getByRole('button', { name: 'I’ve revoked it — check' });
  await check.click();
  await expect(dialog.getByRole('alert')).toContainText('Specivo still accepts the old key');
  await shoot(page, 'guided-revoke-light');
  // Behind the dialog, the row's State cell says it in a few words; the vendor's instruction
  // (with its dashboard URL) is not repeated there.
  const state = row.locator('td').nth(3);
  await expect(state).toContainText('Waiting on you');
  await expect(state).toContainText('Revoke the old key, then confirm');
  expect((await state.innerText()).length).toBeLessThan(60);
  await expect(state).not.toContainText('http');

  await dashboardRevokeKey(specivo.apiUrl, old.id);
  await check.click();
  await expect(dialog.getByText(/Confirmed: Specivo refuses the old key/)).toBeVisible();
  expect(await dashboardIsLive(specivo.apiUrl, fresh.secret)).toBe(true);

  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(row.locator('.mono').first()).toContainText(`…${fresh.secret.slice(-4)}`);
  await expect(row.getByText('Active')).toBeVisible();
  await expectNoSecrets(page, [old.secret, fresh.secret]);
});
