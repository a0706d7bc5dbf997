// Accounts → "Add a service account" against `keyway serve --sandbox`'s OAuth vendor: an admin
// registers a client for the agent at its authorization server (RFC 7591, as its console would),
// the secret is pasted once, the card shows the service account, "Get a new token" gets one,
// and the secret is nowhere on the page afterwards.
import { expect, test } from '@playwright/test';
import { controlCall, startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectNoSecrets, goTo, openUi } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

test('a service account is added with its secret, shows its kind, and gets a new token', async ({
  page,
}) => {
  const demo = k.sandbox.demo as unknown as { oauth: { mcpUrl: string } };
  const mcpUrl = demo.oauth.mcpUrl;
  const reg = await fetch(new URL('/reg', mcpUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'mcp:tools',
      token_endpoint_auth_method: 'client_secret_basic',
    }),
  });
  const { client_id: clientId, client_secret: secret } = (await reg.json()) as {
    client_id: string;
    client_secret: string;
  };

  await openUi(page, k.serve.ui);
  await goTo(page, 'Accounts');
  await page
    .getByRole('button', { name: 'Add a service account (OAuth client credentials)' })
    .click();
  const form = page.getByRole('form', { name: 'Add a service account' });
  await form.getByLabel('Account name').fill('agent');
  await form.getByLabel('MCP server URL').fill(mcpUrl);
  await form.getByLabel('Client id').fill(clientId);
  await form.getByLabel('Client secret or PEM private key').fill(secret);
  await form.getByRole('button', { name: 'Add service account' }).click();
  await expect(form).toHaveCount(0);

  const card = page.locator('article[data-account="agent"]');
  await expect(card.getByRole('status')).toContainText(
    `Service account ${clientId} (client credentials, client_secret_basic)`,
  );
  const expiry = await card.getByRole('status').textContent();
  const tokens = async () =>
    (await controlCall(k.serve.url, k.token, 'audit.list', {})).filter(
      (e) => e.event === 'oauth.login' && e.account === 'agent',
    ).length;
  expect(await tokens()).toBe(1);
  await card.getByRole('button', { name: 'Get a new token for agent' }).click();
  await expect.poll(tokens).toBe(2);
  await expect(card.getByRole('button', { name: 'Get a new token for agent' })).toBeEnabled();
  await expect(card.getByRole('button', { name: 'Rotate secret or key of agent' })).toBeVisible();
  expect(expiry).toMatch(/token expires/);
  await expectNoSecrets(page, [secret]);
});
