import { expect, test } from '@playwright/test';
import { startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe({ dataDir: await tempDataDir('keyway-e2e-') });
});
test.afterAll(async () => {
  await serve.stop();
});

test('keyway serve hands a browser the web UI under a strict CSP', async ({ page }) => {
  const response = await page.goto(serve.ui);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByRole('heading', { name: 'Keyway' })).toBeVisible();
});
