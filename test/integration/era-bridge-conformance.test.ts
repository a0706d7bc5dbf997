// The conformance server suite 0.2.0-alpha.12 through Keyway, against SDK v2 servers built from
// one factory (src/sandbox/mcp/modern), in one Keyway instance, every run in parallel:
// - the era bridge (issue 21): at 2025-11-25, a server that speaks only 2026-07-28 passes through
//   Keyway every scenario the dual-era server passes directly;
// - pass-through (issue 20): at 2026-07-28 against the 2026-only server, and at both revisions
//   against the dual-era server, the results through Keyway equal the direct ones.
// The suite's client sends no credentials: a header hop adds the server's key (direct) or the
// local token (through Keyway, where the proxy puts the server's key on).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startModernConformanceServer } from '../../src/sandbox/mcp/modern/modern-conformance-server';
import type { ModernConformanceServer } from '../../src/sandbox/mcp/modern/modern-conformance-server';
import { runServerConformance, startHeaderHop } from '../support/conformance';
import type {
  HeaderHop,
  ServerConformanceOptions,
  ServerConformanceResult,
} from '../support/conformance';
import { MemoryBackend, startProxy } from '../support/mcp-upstream';
import type { TestProxy } from '../support/mcp-upstream';

const KEYS = {
  modern: 'modern-conformance-key-0123456789',
  dual: 'dual-conformance-key-0123456789',
};
/** One client per connection, as Keyway gives each its own local token. */
const TOKENS = {
  modern: 'keyway-local-token-era-bridge-0123456789',
  dual: 'keyway-local-token-pass-through-0123456789',
};
type Revision = '2025-11-25' | '2026-07-28';
const suite = (specVersion: Revision): ServerConformanceOptions => ({
  suitePackage: 'mcp-conformance-next',
  // Only the scenarios of that revision, pending ones too (the stricter baseline).
  specVersion,
  suite: 'all',
  timeoutMs: 300_000,
});

const SERVER_INITIATED =
  'the dual-era server serves 2025 requests statelessly (the SDK default: a fresh server per ' +
  'request, no session), so a tool that asks the client (sampling, elicitation) cannot get the ' +
  "answer back; the bridge holds the session and turns the 2026 server's input_required " +
  'result into the server-initiated request and the answer into the retry';

/**
 * Scenarios whose outcome differs by design, asserted both ways: `direct` is what the dual-era
 * server does, `bridged` what the 2026-only server does through Keyway, and why. No 2025-11-25
 * scenario of the active suite lacks a 2026 counterpart; what has none (batches, resumption,
 * roots/list_changed) is not exercised by it and is listed in docs/era-bridge.md.
 */
const BY_DESIGN: Record<
  string,
  { direct: 'pass' | 'fail'; bridged: 'pass' | 'fail'; why: string }
> = {
  'tools-call-sampling': { direct: 'fail', bridged: 'pass', why: SERVER_INITIATED },
  'tools-call-elicitation': { direct: 'fail', bridged: 'pass', why: SERVER_INITIATED },
  'elicitation-sep1034-defaults': { direct: 'fail', bridged: 'pass', why: SERVER_INITIATED },
  'elicitation-sep1330-enums': { direct: 'fail', bridged: 'pass', why: SERVER_INITIATED },
};

/**
 * 2026-07-28 scenarios that call diagnostic tools the conformance server does not offer (the
 * suite's `test_input_required_result_*`, `test_missing_capability`, tools with `x-mcp-header`
 * annotations or composition keywords): they fail directly for that reason, and must fail the
 * same way through Keyway. Anything else failing directly is a broken baseline.
 */
const NOT_SERVED = [
  /^input-required-result-/,
  /^server-stateless$/,
  /^http-custom-header-server-validation$/,
  /^json-schema-2020-12$/,
];

let servers: Record<'modern' | 'dual', ModernConformanceServer>;
let px: TestProxy;
const hops: HeaderHop[] = [];
/** Where the suite goes: straight to a server (its key added) or through Keyway. */
const to: Record<'direct' | 'keyway', Record<'modern' | 'dual', string>> = {
  direct: { modern: '', dual: '' },
  keyway: { modern: '', dual: '' },
};

const hostsOf = (url: string): string[] => {
  const host = new URL(url).host;
  return [host, host.replace('127.0.0.1', 'localhost')];
};

beforeAll(async () => {
  servers = {
    modern: await startModernConformanceServer({ era: 'modern', key: KEYS.modern }),
    dual: await startModernConformanceServer({ era: 'dual', key: KEYS.dual }),
  };
  const backend = new MemoryBackend();
  const proxyHosts: string[] = [];
  px = await startProxy(backend, { extraHosts: proxyHosts });
  for (const era of ['modern', 'dual'] as const) {
    backend.addRoute(era, servers[era].url, { versionId: `v-${era}`, secret: KEYS[era] });
    const direct = await startHeaderHop(servers[era].url, { Authorization: `Bearer ${KEYS[era]}` });
    // The hop keeps the client's Host (the DNS-rebinding scenario needs that): allow its own.
    servers[era].allowHosts(hostsOf(direct.url));
    const keyway = await startHeaderHop(px.url(era), { Authorization: `Bearer ${TOKENS[era]}` });
    proxyHosts.push(...hostsOf(keyway.url));
    backend.tokens.set(TOKENS[era], { client: `conformance-${era}`, slug: era });
    hops.push(direct, keyway);
    to.direct[era] = direct.url;
    to.keyway[era] = keyway.url;
  }
});

afterAll(async () => {
  for (const hop of hops) await hop.close();
  await px?.close();
  await servers?.modern.close();
  await servers?.dual.close();
});

const report = (r: ServerConformanceResult) =>
  r.failed.map((f) => `${f.scenario}: ${f.detail.slice(0, 300)}`).join('\n');
const outcome = (r: ServerConformanceResult) => ({
  passed: [...r.passed].sort(),
  failed: r.failed.map((f) => f.scenario).sort(),
});

it('passes the alpha.12 server suite through Keyway as directly: the era bridge at 2025-11-25, pass-through at 2026-07-28 (2026-only server) and at both revisions (dual-era server)', async () => {
  const started = performance.now();
  const timed = async (name: string, url: string, revision: Revision) => {
    const t0 = performance.now();
    const result = await runServerConformance(url, suite(revision));
    return { name, result, s: (performance.now() - t0) / 1000 };
  };
  const runs = await Promise.all([
    timed('dual direct 2025', to.direct.dual, '2025-11-25'),
    timed('2026-only bridged 2025', to.keyway.modern, '2025-11-25'),
    timed('dual through Keyway 2025', to.keyway.dual, '2025-11-25'),
    timed('2026-only direct 2026', to.direct.modern, '2026-07-28'),
    timed('2026-only through Keyway 2026', to.keyway.modern, '2026-07-28'),
    timed('dual direct 2026', to.direct.dual, '2026-07-28'),
    timed('dual through Keyway 2026', to.keyway.dual, '2026-07-28'),
  ]);
  const wall = (performance.now() - started) / 1000;
  // What this test costs CI, run by run (they overlap: the wall time is what it adds).
  console.log(
    `alpha.12 conformance through Keyway: ${runs.length} runs in parallel, ${wall.toFixed(1)} s wall; ` +
      runs.map((r) => `${r.name} ${r.s.toFixed(1)} s`).join(', '),
  );
  const [dual25, bridged25, keywayDual25, modern26, keywayModern26, dual26, keywayDual26] =
    runs.map((r) => r.result) as [ServerConformanceResult, ...ServerConformanceResult[]];

  // The baselines must be real runs: each revision's own scenarios pass directly.
  expect(dual25.passed.length, report(dual25)).toBeGreaterThan(20);
  expect(dual25.passed).toContain('server-initialize');
  for (const direct of [modern26!, dual26!]) {
    expect(direct.passed.length, report(direct)).toBeGreaterThan(20);
    expect(direct.passed).toContain('http-header-validation');
    expect(direct.passed).not.toContain('server-initialize');
    const unexplained = direct.failed.filter((f) => !NOT_SERVED.some((re) => re.test(f.scenario)));
    expect(unexplained.map((f) => `${f.scenario}: ${f.detail}`)).toEqual([]);
  }

  // Pass-through: the same scenarios pass and fail through Keyway as directly. Under CI's full
  // load one run in six saw one of three concurrent POSTs answered 502 through Keyway (cause not
  // found; it did not recur in isolation). A pair that differs is therefore run once more, alone,
  // and must then be equal; the first difference is printed, so a recurring one stays visible.
  const pairs = [
    ['2026-only through Keyway 2026', keywayModern26!, modern26!, 'modern', '2026-07-28'],
    ['dual through Keyway 2026', keywayDual26!, dual26!, 'dual', '2026-07-28'],
    ['dual through Keyway 2025', keywayDual25!, dual25, 'dual', '2025-11-25'],
  ] as const;
  for (const [name, through, direct, server, revision] of pairs) {
    if (JSON.stringify(outcome(through)) === JSON.stringify(outcome(direct))) continue;
    console.log(`${name}: differed from direct in the parallel run:\n${report(through)}`);
    const again = await runServerConformance(to.keyway[server], suite(revision));
    const againDirect = await runServerConformance(to.direct[server], suite(revision));
    expect(outcome(again), report(again)).toEqual(outcome(againDirect));
  }

  // The era bridge: every 2025-11-25 scenario the dual-era server passes directly, but those
  // that differ by design, which are asserted both ways.
  const passedDirect = new Set(dual25.passed);
  const passedBridged = new Set(bridged25!.passed);
  const expected = dual25.passed.filter((s) => !(s in BY_DESIGN)).sort();
  const missing = expected.filter((s) => !passedBridged.has(s));
  expect(missing, `not passed through the bridge:\n${report(bridged25!)}`).toEqual([]);
  for (const [scenario, want] of Object.entries(BY_DESIGN)) {
    expect(passedDirect.has(scenario) ? 'pass' : 'fail', `${scenario} directly`).toBe(want.direct);
    expect(passedBridged.has(scenario) ? 'pass' : 'fail', `${scenario} bridged`).toBe(want.bridged);
  }
  // Every request each server saw carried its own key, never the local token.
  for (const era of ['modern', 'dual'] as const)
    expect(new Set(servers[era].seenAuth), era).toEqual(new Set([`Bearer ${KEYS[era]}`]));
}, 420_000);
