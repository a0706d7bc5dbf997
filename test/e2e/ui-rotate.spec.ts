import { expect, test } from '@playwright/test';
import { startBackgroundCaller } from '../support/ui-mcp-caller';
import { startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectAccessible, expectNoSecrets, openUi, shoot } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

const API_STEPS = ['mint', 'store', 'verify', 'swap', 'drain', 'revoke', 'forget'];

test('one click rotates a Quave key; every step ticks while an agent keeps calling through the proxy', async ({
  page,
}) => {
  const demo = k.sandbox.demo!;
  const agent = await startBackgroundCaller(demo.url, demo.token);
  try {
    await expect.poll(() => agent.ok()).toBeGreaterThan(3);
    await openUi(page, k.serve.ui);
    const row = page.locator('tr[data-key="demo/agent"]');
    const before = await row.locator('.mono').first().textContent();

    await row.getByRole('button', { name: 'Rotate demo/agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate demo/agent' });
    await expect(dialog).toBeVisible();
    for (const step of API_STEPS) {
      const item = dialog.locator(`li[data-step="${step}"]`);
      await expect(item, step).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
      await expect(item.locator('.step-ms'), step).toHaveText(/done \d+(\.\d)? m?s/);
    }
    await expect(
      dialog.getByText(/^Rotated\. demo\/agent now uses the key ending in/),
    ).toBeVisible();
    await shoot(page, 'rotate-done-light');
    await expectAccessible(page, 'rotation dialog');

    // The agent keeps working after the swap, now served by the new key.
    const afterSwap = agent.ok();
    await expect.poll(() => agent.ok()).toBeGreaterThan(afterSwap + 3);
    expect(agent.errors()).toEqual([]);
    expect(agent.keyIds()).toHaveLength(2);

    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(dialog).toBeHidden();
    await expect(row.locator('.mono').first()).not.toHaveText(before ?? '');
    await expect(row.getByText('Active')).toBeVisible();
  } finally {
    await agent.stop();
  }
  expect(agent.errors()).toEqual([]);
  await expectNoSecrets(page, [demo.token]);
});

test('a failed rotation says what Keyway did, keeps the old key, and offers a retry', async ({
  page,
}) => {
  const quave = k.sandbox.vendors.quave;
  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="demo/agent"]');
  const before = await row.locator('.mono').first().textContent();
  // Quave fails the next call (the mint) with a 500.
  const res = await fetch(`${new URL(quave.apiUrl).origin}/__sandbox/switches`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ failNext: { status: 500, count: 1 } }),
  });
  expect(res.status).toBe(200);

  await row.getByRole('button', { name: 'Rotate demo/agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate demo/agent' });
  await expect(dialog.getByRole('alert')).toContainText('Rotation failed:');
  await expect(dialog.locator('li[data-step="mint"]')).toHaveAttribute('data-state', 'failed');
  await expect(dialog.locator('li[data-step="swap"]')).toHaveAttribute('data-state', 'skipped');
  await expect(dialog.getByText(/your connections still use the old key/)).toBeVisible();
  await shoot(page, 'rotate-failed-light');
  await expect(row.locator('.mono').first()).toHaveText(before ?? '');

  await dialog.getByRole('button', { name: 'Try again' }).click();
  await expect(dialog.locator('li[data-step="forget"]')).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  });
  await expect(dialog.getByText(/^Rotated\./)).toBeVisible();
});
