import { expect, test, type Page } from '@playwright/test';
import { startBackgroundCaller } from '../support/ui-mcp-caller';
import { startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectAccessible, expectNoSecrets, goTo, openOverview, shoot } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

const DAY = 86_400_000;
const chart = (page: Page) => page.getByRole('img', { name: /^All connections:/ });
const summary = (page: Page) =>
  page.getByRole('figure', { name: /^All connections:/ }).locator('.chart-summary');

async function quaveFailsNext(count: number): Promise<void> {
  const res = await fetch(`${new URL(k.sandbox.vendors.quave.apiUrl).origin}/__sandbox/switches`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ failNext: { status: 503, count } }),
  });
  expect(res.status).toBe(200);
}

test('the overview follows an agent’s calls through the proxy live, errors included', async ({
  page,
}) => {
  const demo = k.sandbox.demo!;
  await openOverview(page, k.serve.ui);
  await expect(page.getByText('No request has gone through the proxy yet.')).toBeVisible();

  // A real MCP SDK client calls through the proxy while the overview is open.
  const agent = await startBackgroundCaller(demo.url, demo.token);
  try {
    await expect.poll(() => agent.ok()).toBeGreaterThan(5);
  } finally {
    await agent.stop();
  }
  const served = (await k.call('traffic.history', {})).connections[0]?.requests ?? 0;
  expect(served).toBeGreaterThan(5);
  // The chart's data and its text equivalent both show the count (pushed live: no reload).
  await expect(chart(page)).toHaveAttribute('data-requests', String(served));
  await expect(summary(page)).toHaveText(
    new RegExp(`^${served} requests, 0 errors in the last 24 hours`),
  );
  const byConnection = page.getByRole('table', { name: 'By connection' });
  await expect(byConnection.locator('tr[data-series="demo"] td').first()).toHaveText(
    String(served),
  );
  const byClient = page.getByRole('table', { name: 'By client' });
  await expect(byClient.locator(`tr[data-series="${demo.client}"] td`).first()).toHaveText(
    String(served),
  );

  // The vendor fails the next call: the overview counts it as an error.
  await quaveFailsNext(1);
  const failing = await startBackgroundCaller(demo.url, demo.token).catch((err: Error) => err);
  if (!(failing instanceof Error)) await failing.stop();
  const after = await k.call('traffic.history', {});
  const errors = after.connections[0]?.errors ?? 0;
  expect(errors).toBe(1);
  await expect(chart(page)).toHaveAttribute('data-errors', '1');
  await expect(summary(page)).toContainText(', 1 error in the last 24 hours');
  await expect(byConnection.locator('tr[data-series="demo"] td.has-errors')).toHaveText('1');
  await page.getByText('Show as a table').click();
  await expect(page.getByRole('table', { name: /All connections, per 5 minutes/ })).toBeVisible();
  await shoot(page, 'overview-traffic-light');
  await expectAccessible(page, 'overview with traffic');
  await expectNoSecrets(page, [demo.token]);
});

test('a key past its rotation period is in the attention list, and its action opens it', async ({
  page,
}) => {
  await k.call('key.setPolicy', { ref: 'demo/agent', rotateEvery: 7 });
  // Ten days from now, as the user's computer sees it (Keyway's own clock is left alone).
  await page.clock.setFixedTime(new Date(Date.now() + 10 * DAY));
  await openOverview(page, k.serve.ui);
  const attention = page.getByRole('list', { name: 'Needs attention' });
  const item = attention
    .getByRole('listitem')
    .filter({ hasText: 'demo/agent is past its rotation period' });
  await expect(item).toBeVisible();
  await expect(page.getByRole('list', { name: /Key ages/ })).toContainText('10 days old of 7');
  await shoot(page, 'overview-attention-light');
  await item.getByRole('button', { name: 'Rotate demo/agent' }).click();
  await expect(page.getByRole('dialog', { name: 'Rotate demo/agent' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Keys', level: 2 })).toBeAttached();
  await k.call('key.setPolicy', { ref: 'demo/agent', rotateEvery: null });
});

test('in the dark theme too, the overview passes axe', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openOverview(page, k.serve.ui);
  await expect(chart(page)).toBeVisible();
  await shoot(page, 'overview-dark');
  await expectAccessible(page, 'overview, dark');
  await goTo(page, 'Keys');
});
