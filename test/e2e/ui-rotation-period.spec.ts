import { expect, test } from '@playwright/test';
import { startSandboxServe, type SandboxServe } from '../support/ui-serve';
import { expectAccessible, openUi, shoot, rowMenuItem } from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

async function rotateEvery(ref: string): Promise<number | null | undefined> {
  const keys = await k.call('key.list', {});
  return keys.find((key) => key.ref === ref)?.rotateEvery;
}

test('set a key to rotate every 7 days, then never, from the keyboard', async ({ page }) => {
  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="demo/agent"]');
  // The row's menu button; "Rotation period…" is its first item.
  const open = row.getByRole('button', { name: 'More actions for demo/agent' });
  const dialog = page.getByRole('dialog', { name: 'Rotation period of demo/agent' });
  const days = dialog.getByRole('spinbutton', { name: 'Rotate every (days)' });
  const never = dialog.getByRole('checkbox', { name: 'Never rotate on a schedule' });

  await open.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('menuitem', { name: 'Rotation period… of demo/agent' }),
  ).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await never.setChecked(false);
  await days.fill('7');
  await expect(days).toHaveAttribute('aria-invalid', 'false');
  await expectAccessible(page, 'rotation period dialog');
  await shoot(page, 'rotation-period-light');
  await days.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row.getByText('rotate in 7 days')).toBeVisible();
  await expect(page.getByText('demo/agent is now rotated every 7 days')).toBeVisible();
  expect(await rotateEvery('demo/agent')).toBe(7);
  // Focus comes back to the row action, so the next change is keyboard-only too.
  await expect(open).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('menuitem', { name: 'Rotation period… of demo/agent' }),
  ).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(days).toHaveValue('7');
  await expect(dialog.getByText('Now: every 7 days.')).toBeVisible();
  await never.focus();
  await page.keyboard.press('Space');
  await expect(never).toBeChecked();
  await expect(days).toBeDisabled();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('no rotation policy')).toBeVisible();
  expect(await rotateEvery('demo/agent')).toBeNull();
});

test('0 days is refused as it is typed and nothing is saved', async ({ page }) => {
  await k.call('key.setPolicy', { ref: 'demo/agent', rotateEvery: 20 });
  await openUi(page, k.serve.ui);
  const row = page.locator('tr[data-key="demo/agent"]');
  await expect(row.getByText('rotate in 20 days')).toBeVisible();
  await (await rowMenuItem(page, 'demo/agent', 'Rotation period… of demo/agent')).click();
  const dialog = page.getByRole('dialog', { name: 'Rotation period of demo/agent' });
  const days = dialog.getByRole('spinbutton', { name: 'Rotate every (days)' });
  const save = dialog.getByRole('button', { name: 'Save' });

  await days.fill('0');
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(days).toHaveAccessibleDescription('Enter a number of days from 1 to 3650.');
  await expect(save).toBeDisabled();
  await days.press('Enter');
  await days.fill('3651');
  await expect(days).toHaveAccessibleDescription('Enter a number of days from 1 to 3650.');
  await days.press('Enter');
  await expect(dialog).toBeVisible();
  expect(await rotateEvery('demo/agent')).toBe(20);

  await days.fill('45');
  await expect(save).toBeEnabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('rotate in 20 days')).toBeVisible();
  expect(await rotateEvery('demo/agent')).toBe(20);
});

test('a refusal by the service is shown in its words and the dialog stays open', async ({
  page,
}) => {
  await k.call('key.create', { ref: 'demo/spare', scopes: ['quave:read'] });
  await openUi(page, k.serve.ui);
  await (await rowMenuItem(page, 'demo/spare', 'Rotation period… of demo/spare')).click();
  const dialog = page.getByRole('dialog', { name: 'Rotation period of demo/spare' });
  // The key goes away behind the dialog's back (another window, the CLI).
  await k.call('key.revoke', { ref: 'demo/spare' });
  await k.call('key.remove', { ref: 'demo/spare' });
  await dialog.getByRole('checkbox', { name: 'Never rotate on a schedule' }).setChecked(false);
  await dialog.getByRole('spinbutton', { name: 'Rotate every (days)' }).fill('14');
  await dialog.getByRole('button', { name: 'Save' }).click();
  // The same words the control API gives for that request, not a paraphrase.
  const refusal = await k.call('key.setPolicy', { ref: 'demo/spare', rotateEvery: 14 }).then(
    () => null,
    (err: unknown) => (err instanceof Error ? err.message.replace(/^key\.setPolicy: /, '') : ''),
  );
  expect(refusal).toContain('demo/spare');
  await expect(dialog.getByRole('alert')).toHaveText(`Not saved: ${refusal ?? ''}`);
  await expect(dialog).toBeVisible();
});
