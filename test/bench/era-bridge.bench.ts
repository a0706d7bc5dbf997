// The era bridge's cost, as a 2025 client feels it: the same SDK v1 client calls the same tool
// of the same SDK v2 server factory (src/sandbox/mcp/modern) through Keyway, once at a dual-era
// server (plain pass-through, the baseline) and once at a 2026-07-28-only server (bridged), the
// two interleaved call by call in alternating rounds, in one run on one machine. Prints the p50
// of each, the median of the per-round ratios of medians (issue 21's target: ≤ 1.10×), and the
// upstream requests a call costs with no and with one input_required round (the bridge's
// extra round trips per round).
// Run: npx tsx test/bench/era-bridge.bench.ts   (or `npm run bench -- era-bridge`)
import { performance } from 'node:perf_hooks';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startModernConformanceServer } from '../../src/sandbox/mcp/modern/modern-conformance-server';
import { connectClient, MemoryBackend, startProxy, textOf } from '../support/mcp-upstream';

const KEY = 'era-bench-key-0123456789';
const TOKEN = 'keyway-era-bench-token-0123456789';
const ROUNDS = 9;
const CALLS_PER_ROUND = 150;
const WARM_UP_CALLS = 300;
type Path = 'dual' | 'bridged';

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const simple = (c: Client) => c.callTool({ name: 'test_simple_text', arguments: {} });

async function main(): Promise<void> {
  const dual = await startModernConformanceServer({ era: 'dual', key: KEY });
  const modern = await startModernConformanceServer({ era: 'modern', key: KEY });
  const backend = new MemoryBackend();
  backend.addRoute('dual', dual.url, { versionId: 'v1', secret: KEY });
  backend.addRoute('bridged', modern.url, { versionId: 'v1', secret: KEY });
  backend.tokens.set(TOKEN, { client: 'bench', slug: 'dual' });
  backend.tokens.set(`${TOKEN}-b`, { client: 'bench', slug: 'bridged' });
  const px = await startProxy(backend);
  const clients = new Map<Path, Client>();
  for (const path of ['dual', 'bridged'] as const) {
    const { client } = await connectClient(px.url(path), path === 'dual' ? TOKEN : `${TOKEN}-b`, {
      client: { capabilities: { sampling: {} } },
    });
    client.setRequestHandler(CreateMessageRequestSchema, () => ({
      role: 'assistant',
      content: { type: 'text', text: 'ok' },
      model: 'bench',
    }));
    clients.set(path, client);
  }
  // The server alone (no Keyway), for scale: both paths pay it, so a slow server dilutes the ratio.
  const { client: direct } = await connectClient(dual.url, KEY);
  const directTimes: number[] = [];
  const both = [...clients.values()];
  for (const c of both) {
    const got = textOf(await simple(c));
    if (got !== 'This is a simple text response for testing.')
      throw new Error(`bad answer: ${got}`);
  }
  for (let i = 0; i < WARM_UP_CALLS; i++) await Promise.all(both.map(simple));

  const all = new Map<Path, number[]>([
    ['dual', []],
    ['bridged', []],
  ]);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const times = new Map<Path, number[]>([
      ['dual', []],
      ['bridged', []],
    ]);
    // Alternate which path goes first, call by call and round by round.
    for (let i = 0; i < CALLS_PER_ROUND; i++) {
      const order: Path[] = (i + round) % 2 === 0 ? ['dual', 'bridged'] : ['bridged', 'dual'];
      for (const path of order) {
        const t0 = performance.now();
        await simple(clients.get(path)!);
        times.get(path)!.push(performance.now() - t0);
      }
      if (i % 5 === 0) {
        const t0 = performance.now();
        await simple(direct);
        directTimes.push(performance.now() - t0);
      }
    }
    for (const [path, xs] of times) all.get(path)!.push(...xs);
    ratios.push(median(times.get('bridged')!) / median(times.get('dual')!));
  }

  // Upstream requests per call: a plain call, and a call with one input_required round.
  const bridgedClient = clients.get('bridged')!;
  const before = modern.seenAuth.length;
  await simple(bridgedClient);
  const plainRequests = modern.seenAuth.length - before;
  const mid = modern.seenAuth.length;
  const sampled = textOf(
    await bridgedClient.callTool({ name: 'test_sampling', arguments: { prompt: 'hi' } }),
  );
  if (sampled !== 'LLM response: ok') throw new Error(`bad sampling answer: ${sampled}`);
  const roundRequests = modern.seenAuth.length - mid;

  const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  const ratio = median(ratios);
  process.stdout.write(
    [
      `tools/call p50 directly at the dual-era server (no Keyway, for scale): ${fmt(median(directTimes))}`,
      `tools/call p50 through Keyway to a dual-era server (pass-through): ${fmt(median(all.get('dual')!))}`,
      `tools/call p50 through Keyway to a 2026-only server (bridged):     ${fmt(median(all.get('bridged')!))}`,
      `bridged / pass-through, median of ${ROUNDS} per-round ratios of medians: ${ratio.toFixed(3)}× (target ≤ 1.10×; rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
      `bridged − pass-through p50: ${fmt(median(all.get('bridged')!) - median(all.get('dual')!))}`,
      `upstream requests, plain call: ${plainRequests}; call with one input_required round: ${roundRequests} (extra per round: ${roundRequests - plainRequests})`,
      '',
    ].join('\n'),
  );
  for (const c of [...both, direct]) await c.close();
  await px.close();
  await modern.close();
  await dual.close();
}

await main();
