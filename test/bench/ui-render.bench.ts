// Keys screen rendering, in real Chromium with the real built bundle (React, DOM, CSS, layout
// and paint), 500 keys against an empty screen in the same run:
//  1. Cold load: navigation start → the keys screen painted (table or empty state).
//  2. Switching to the Keys screen from Settings: click → painted (the store is already loaded,
//     so this is the React render + layout of the screen itself).
//  3. Typing in the filter box at 500 keys: keypress → the narrowed table painted.
//  4. Scrolling to the end of 500 keys: each further page of rows → painted (the table renders
//     KEY_ROWS_PAGE rows at first and more as the user scrolls).
// Figures are medians of ROUNDS, printed as ratios to the empty screen measured alongside.
// The service is replaced by a preload-like `window.keyway` answering N keys (see
// test/support/ui-bench-bridge.ts), so the numbers are rendering only.
// The Overview is the app's first screen; these figures open the Keys screen first (`?screen=keys`),
// as the app did before the Overview existed, so they compare with earlier runs. Also printed: the
// size of the built renderer JavaScript against its 300 kB budget.
// UI_BENCH_RENDERER=dir measures another build (e.g. a copy of an older out/renderer);
// UI_BENCH_BASELINE=dir measures a baseline build alongside, alternating round by round, and
// prints this build's cold load and switch at N keys as ratios to it ("no slower than before").
// Run: npm run build && npx tsx test/bench/ui-render.bench.ts
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { KEY_ROWS_PAGE } from '../../src/renderer/screens/keys/keys-table';
import { benchData, installBridge } from '../support/ui-bench-bridge';

const KEYS = Number(process.env.UI_BENCH_KEYS ?? 500);
const ROUNDS = Number(process.env.UI_BENCH_ROUNDS ?? 9);
const RENDERER = resolve(
  process.env.UI_BENCH_RENDERER ?? resolve(import.meta.dirname, '../../out/renderer'),
);
const BASELINE = process.env.UI_BENCH_BASELINE && resolve(process.env.UI_BENCH_BASELINE);
const JS_BUDGET = 300_000;

/** Bytes of JavaScript the renderer ships (every chunk). */
async function rendererJsBytes(renderer: string): Promise<number> {
  const dir = join(renderer, 'assets');
  let total = 0;
  for (const f of await readdir(dir))
    if (f.endsWith('.js')) total += (await stat(join(dir, f))).size;
  return total;
}
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

async function serveRenderer(renderer: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = join(renderer, path || 'index.html');
    stat(file).then(
      (info) => {
        if (!info.isFile() || !file.startsWith(renderer)) throw new Error('not a file');
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * tsx compiles with esbuild's keepNames, which wraps named functions in `__name(…)`; functions
 * sent to the page run there without that helper, so the page gets a no-op one first.
 */
const KEEP_NAMES_SHIM = { content: 'globalThis.__name = (f) => f;' };

async function newBenchPage(browser: Browser, count: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(KEEP_NAMES_SHIM);
  await page.addInitScript(installBridge, benchData(count));
  return page;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/**
 * In the page: resolves once the keys screen shows `rows` rows (or the empty state), painted.
 * `atLeast`: more rows count too (a baseline build may render a larger first page: the measure
 * is then the time until the first `rows` are on screen, whatever else came with them).
 */
function waitPainted(page: Page, rows: number, atLeast = false): Promise<number> {
  return page.evaluate(
    async ([want, orMore]) => {
      const ready = () => {
        if (want === 0) return document.querySelector('.empty') !== null;
        const n = document.querySelectorAll('tbody tr[data-key]').length;
        return orMore ? n >= want : n === want;
      };
      while (!ready()) await new Promise((r) => requestAnimationFrame(r));
      // Two frames: the one that lays out and paints the change, and the one after it.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now();
    },
    [rows, atLeast] as const,
  );
}

/** Rows the keys screen shows before any scrolling. */
const firstRows = (count: number) => Math.min(count, KEY_ROWS_PAGE);

async function coldLoad(browser: Browser, url: string, count: number): Promise<number> {
  const page = await newBenchPage(browser, count);
  await page.goto(url);
  const painted = await waitPainted(page, firstRows(count), true);
  await page.close();
  return painted; // performance.now() counts from navigation start
}

async function switchTo(page: Page, count: number): Promise<number> {
  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
  const started = await page.evaluate(() => {
    const t = performance.now();
    const keys = [...document.querySelectorAll<HTMLButtonElement>('nav button')].find((b) =>
      b.textContent?.startsWith('Keys'),
    );
    keys?.click();
    return t;
  });
  return (await waitPainted(page, firstRows(count), true)) - started;
}

/** Scrolls the last row into view until every row is rendered; ms per page of rows added. */
async function scrollToEnd(page: Page, count: number): Promise<number[]> {
  const perPage: number[] = [];
  for (let rows = firstRows(count); rows < count;) {
    const next = Math.min(count, rows + KEY_ROWS_PAGE);
    const started = await page.evaluate(() => {
      const t = performance.now();
      document.querySelector('.more-row')?.scrollIntoView();
      return t;
    });
    perPage.push((await waitPainted(page, next)) - started);
    rows = next;
  }
  return perPage;
}

async function filterOnce(page: Page, query: string, expect: number): Promise<number> {
  const box = page.getByRole('searchbox', { name: 'Filter keys' });
  await box.focus();
  const started = await page.evaluate(() => performance.now());
  await box.fill(query);
  return (await waitPainted(page, expect)) - started;
}

/** A build under measurement: its URL and the samples taken of it. */
interface Build {
  label: string;
  url: string;
  server: Server;
  coldEmpty: number[];
  coldFull: number[];
  swapEmpty: number[];
  swapFull: number[];
}

async function build(label: string, renderer: string): Promise<Build> {
  const { server, url } = await serveRenderer(renderer);
  const samples = { coldEmpty: [], coldFull: [], swapEmpty: [], swapFull: [] };
  return { label, url: `${url}?screen=keys`, server, ...samples };
}

/** The median of per-round ratios a[i] / b[i]. */
const ratioOf = (a: number[], b: number[]) => median(a.map((x, i) => x / (b[i] ?? NaN)));

async function main(): Promise<void> {
  const current = await build('this build', RENDERER);
  const builds = [current];
  if (BASELINE) builds.push(await build(`baseline ${BASELINE}`, BASELINE));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    // Alternate, so drift (thermal, GC, cache) hits every side alike.
    for (let i = 0; i < ROUNDS; i++) {
      for (const b of builds) {
        b.coldEmpty.push(await coldLoad(browser, b.url, 0));
        b.coldFull.push(await coldLoad(browser, b.url, KEYS));
      }
    }

    const open = async (url: string, n: number) => {
      const page = await newBenchPage(browser, n);
      await page.goto(url);
      await waitPainted(page, firstRows(n), true);
      return page;
    };
    const pages = new Map<Build, { empty: Page; full: Page }>();
    for (const b of builds)
      pages.set(b, { empty: await open(b.url, 0), full: await open(b.url, KEYS) });
    for (let i = 0; i < ROUNDS; i++) {
      for (const b of builds) {
        const p = pages.get(b)!;
        b.swapEmpty.push(await switchTo(p.empty, 0));
        b.swapFull.push(await switchTo(p.full, KEYS));
      }
    }
    const fullPage = pages.get(current)!.full;
    const typing: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      typing.push(await filterOnce(fullPage, 'agent-0042', 1));
      typing.push(await filterOnce(fullPage, '', firstRows(KEYS)));
    }
    const scrolling = await scrollToEnd(fullPage, KEYS);
    const jsBytes = await rendererJsBytes(RENDERER);
    const c0 = median(current.coldEmpty);
    const c1 = median(current.coldFull);
    const s0 = median(current.swapEmpty);
    const s1 = median(current.swapFull);
    const t1 = median(typing);
    const p1 = median(scrolling);
    const pLast = scrolling.at(-1) ?? NaN;
    const lines = [
      `Renderer JavaScript (minified): ${(jsBytes / 1000).toFixed(1)} kB of a ${JS_BUDGET / 1000} kB budget (${((jsBytes / JS_BUDGET) * 100).toFixed(0)} %)`,
      `Keys screen, real Chromium, built bundle; medians of ${ROUNDS} rounds`,
      `  cold load → painted      empty ${fmt(c0)}   ${KEYS} keys ${fmt(c1)}   ratio ${(c1 / c0).toFixed(2)}`,
      `  switch to Keys → painted empty ${fmt(s0)}   ${KEYS} keys ${fmt(s1)}   ratio ${(s1 / s0).toFixed(2)}`,
      `  filter keystroke → painted at ${KEYS} keys ${fmt(t1)}   (${(t1 / s0).toFixed(2)} × an empty-screen switch)`,
      `  scroll, next ${KEY_ROWS_PAGE} rows → painted  median ${fmt(p1)}, last page ${fmt(pLast)}   (${(p1 / s0).toFixed(2)} × an empty-screen switch)`,
    ];
    for (const b of builds.slice(1)) {
      const cold = ratioOf(current.coldFull, b.coldFull);
      const swap = ratioOf(current.swapFull, b.swapFull);
      const verdict = (r: number) => (r <= 1 ? 'no slower' : 'SLOWER');
      lines.push(
        `  against the ${b.label} (same run, alternating; median of per-round ratios):`,
        `    cold load at ${KEYS} keys ${fmt(median(b.coldFull))} → this build ×${cold.toFixed(2)} (${verdict(cold)})`,
        `    switch to Keys at ${KEYS} keys ${fmt(median(b.swapFull))} → this build ×${swap.toFixed(2)} (${verdict(swap)})`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    for (const b of builds) await new Promise((r) => b.server.close(r));
  }
}

await main();
