import { expect, test } from '@playwright/test';
import { startSandboxServe, type SandboxServe } from '../support/ui-serve';
import {
  expectAccessible,
  expectNoSecrets,
  goTo,
  openUi,
  shoot,
  openOverview,
  rowMenuItem,
} from '../support/ui-page';

let k: SandboxServe;
test.beforeAll(async () => {
  k = await startSandboxServe();
});
test.afterAll(async () => {
  await k.stop();
});

const SCREENS = [
  { nav: 'Overview', heading: 'Overview' },
  { nav: 'Keys', heading: 'Keys' },
  { nav: 'Accounts', heading: 'Accounts' },
  { nav: 'Create key', heading: 'Create a key' },
  { nav: 'Connections', heading: 'Connections and clients' },
  { nav: 'Activity', heading: 'Activity' },
  { nav: 'Settings', heading: 'Settings' },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen in ${scheme}: what a user sees, and no serious accessibility violation`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openUi(page, k.serve.ui);
    await expect(page.locator('tr[data-key="demo/agent"]')).toBeVisible();
    for (const s of SCREENS) {
      await goTo(page, s.nav);
      await expect(page.getByRole('heading', { name: s.heading, level: 2 })).toBeVisible();
      if (s.nav === 'Activity')
        await expect(page.getByRole('cell', { name: 'client.added' })).toBeVisible();
      if (s.nav === 'Settings') await expect(page.getByText('Reachable')).toBeVisible();
      await shoot(page, `${s.nav.toLowerCase().replace(' ', '-')}-${scheme}`);
      await expectAccessible(page, `${s.nav} (${scheme})`);
    }
    await goTo(page, 'Connections');
    await page.getByRole('button', { name: 'Set up demo-client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up demo-client' });
    await expect(dialog.getByRole('tab', { name: 'Cursor' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await shoot(page, `client-setup-${scheme}`);
    await expectAccessible(page, `client setup dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // The demo client's token was shown once, to `keyway serve`'s stdout — never to this page.
    await expectNoSecrets(page, [k.sandbox.demo!.token]);
  });
}

test('usable from the keyboard alone, with a visible focus ring', async ({ page }) => {
  // As first opened (the Overview), before any click has moved focus.
  await openOverview(page, k.serve.ui);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
  // Through the top bar into the section list, then open Connections with the keyboard.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Overview' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Keys' }).first()).toBeFocused();
  // Past Accounts and Create key.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(
    page.getByRole('navigation').getByRole('button', { name: 'Connections' }),
  ).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Connections and clients' })).toBeVisible();
  // Every control has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, a[href]')]
      .filter((el) => {
        const e = el as HTMLElement;
        const labelled =
          e.getAttribute('aria-label') ||
          e.getAttribute('aria-labelledby') ||
          (e as HTMLInputElement).labels?.length ||
          e.textContent?.trim();
        return !labelled;
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
});

test('the theme button is a toggle: reached by Tab, Space and Enter flip it, its state announced', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openOverview(page, k.serve.ui);
  // One name in both states, and the state as pressed / not pressed: what a screen reader says
  // ("Dark theme, toggle button, not pressed"). It read "Dark theme" in both states, stateless.
  const off = page.getByRole('button', { name: 'Dark theme', exact: true, pressed: false });
  const on = page.getByRole('button', { name: 'Dark theme', exact: true, pressed: true });
  await expect(off).toBeVisible();
  await expect(page.getByRole('button', { name: /theme/i })).toHaveCount(1);
  for (let i = 0; i < 5 && !(await off.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(off).toBeFocused();
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.keyboard.press('Space');
  await expect(on).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await bg()).not.toBe(light);
  await shoot(page, 'theme-toggle-dark');
  // Remembered across a reload; Enter flips it back.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await on.focus();
  await page.keyboard.press('Enter');
  await expect(off).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'theme-toggle-light');
  // Following a dark system, it says so too: pressed.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(on).toBeVisible();
});

test('in the browser, Copy key says why only the desktop app can do it', async ({ page }) => {
  await openUi(page, k.serve.ui);
  const copy = await rowMenuItem(page, 'demo/agent', 'Copy key demo/agent');
  await expect(copy).toHaveAttribute('aria-disabled', 'true');
  // aria-disabled, not disabled: it stays focusable, so the explanation is reachable by keyboard.
  await copy.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Copy key works only in the desktop app/)).toBeVisible();
  // And the service agrees: key.copy is unsupported under `keyway serve`.
  await expect(k.call('key.copy', { ref: 'demo/agent' })).rejects.toThrow(/key\.copy/);
});

test('opened without the link’s token, the page says how to get in', async ({ page }) => {
  await page.goto(k.serve.url + '/');
  await expect(page.getByText(/needs the link Keyway printed/)).toBeVisible();
  await expectAccessible(page, 'no-access page');
});

test('Activity filters by key, client and event, and shows new entries as they happen', async ({
  page,
}) => {
  await openUi(page, k.serve.ui);
  await goTo(page, 'Activity');
  const log = page.getByRole('region', { name: 'Audit log' });
  await expect(log.getByRole('cell', { name: 'account.added' })).toBeVisible();
  await page.getByLabel('Client').selectOption('demo-client');
  await expect(log.getByRole('row')).toHaveCount(2); // the header and client.added
  await page.getByLabel('Client').selectOption('');
  await page.getByLabel('Event').selectOption('client.added');
  await page.getByLabel('Key').selectOption('demo/agent');
  await expect(log.getByRole('cell', { name: 'key.created' })).toHaveCount(0);
  // Live: a client added elsewhere (here through the control API, as the CLI would) appears.
  const added = await k.call('client.add', { name: 'live-one', connection: 'demo' });
  await expect(log.getByRole('cell', { name: 'live-one' })).toBeVisible();
  await expect(log.getByRole('row')).toHaveCount(3);
  await expectNoSecrets(page, [added.token]);
});
