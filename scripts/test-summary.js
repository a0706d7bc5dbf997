// One closing line for the whole suite (vitest + Playwright), in the plain form CI reads:
// "tests: N passed, N failed". Skipped tests are counted separately, never as passed.
import { readFileSync } from 'node:fs';

const vitest = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
const playwright = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
const passed = vitest.numPassedTests + playwright.stats.expected + playwright.stats.flaky;
const failed = vitest.numFailedTests + playwright.stats.unexpected;
const skipped = vitest.numPendingTests + vitest.numTodoTests + playwright.stats.skipped;
process.stdout.write(
  `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(failed > 0 ? 1 : 0);
