import { expect, test } from '@playwright/test';
import {
  removeTempDataDirs,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe({ dataDir: await tempDataDir('keyway-e2e-') });
});
test.afterAll(async () => {
  await serve.stop();
  await removeTempDataDirs();
});

test('keyway serve hands a browser the web UI under a strict CSP', async ({ page }) => {
  const response = await page.goto(serve.ui);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByRole('heading', { name: 'Keyway' })).toBeVisible();
});

test('a brand-new instance offers its first step, not "every key is active"', async ({ page }) => {
  await page.goto(serve.ui);
  const attention = page.getByRole('list', { name: 'Needs attention' });
  await expect(attention.getByText('No key yet: create the first one')).toBeVisible();
  await expect(page.getByText(/^Nothing needs you/)).toHaveCount(0);
  await attention.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Create a key', level: 2 })).toBeVisible();
});
