import { mkdir } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

/** Opens the web UI link `keyway serve` printed: the Overview first. */
export async function openOverview(page: Page, uiUrl: string): Promise<void> {
  await page.goto(uiUrl);
  await expect(page.getByRole('heading', { name: 'Overview', level: 2 })).toBeVisible();
}

/** Opens the web UI, then goes to the Keys screen and waits for the keys to load. */
export async function openUi(page: Page, uiUrl: string): Promise<void> {
  await openOverview(page, uiUrl);
  await goTo(page, 'Keys');
  await expect(page.getByRole('heading', { name: 'Keys', level: 2 })).toBeVisible();
  await expect(page.getByText(/^\d+ keys?$|^No keys yet$/)).toBeVisible();
}

export async function goTo(page: Page, section: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: section })
    .click();
}

export async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let transitions and live regions settle so the picture is what a user sees.
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** axe on the current page: no serious or critical violation, with their ids if any. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${where}`).toEqual([]);
}

/**
 * No secret in what the page holds: the DOM, every input's current value, and web storage.
 * (The control token lives in the URL fragment by design and is not checked here.)
 */
export async function expectNoSecrets(page: Page, secrets: string[]): Promise<void> {
  expect(secrets.length).toBeGreaterThan(0);
  const html = await page.content();
  const held = await page.evaluate(() => ({
    values: [...document.querySelectorAll('input, textarea')].map(
      (e) => (e as HTMLInputElement).value,
    ),
    text: document.body.innerText,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  }));
  for (const s of secrets) {
    expect(s.length, 'a secret to look for').toBeGreaterThan(8);
    expect(html.includes(s), 'a secret in the DOM').toBe(false);
    expect(held.text.includes(s), 'a secret in the page text').toBe(false);
    expect(
      held.values.some((v) => v.includes(s)),
      'a secret in an input',
    ).toBe(false);
    expect(held.storage.includes(s), 'a secret in web storage').toBe(false);
  }
}

/** A key row's menu item (Rotation period…, Copy proxy URL, Copy key, Revoke…), by mouse. */
export async function rowMenuItem(page: Page, ref: string, item: string) {
  await page
    .locator(`tr[data-key="${ref}"]`)
    .getByRole('button', { name: `More actions for ${ref}` })
    .click();
  return page
    .getByRole('menu', { name: `actions for ${ref}` })
    .getByRole('menuitem', { name: item });
}
