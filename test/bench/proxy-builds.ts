// Two or more builds of the proxy head to head: each gets 8 SDK sessions against one sandbox
// vendor, and rounds of 1200 calls alternate between them; prints each build's steady CPU per
// call (median of the rounds after a warm-up). Not part of `npm run bench`: it answers "did this
// change make the proxy cheaper?", with the other figures' noise (nginx, direct) left out.
// Run: npx tsx test/bench/proxy-builds.ts <dir with index.ts> <another dir> ...
//      e.g. a `git archive` of the old src/ unpacked in /tmp, against src/main/core/proxy.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { children, cpuMs, ROOT, startKeyway, startVendor, TOKEN } from './proxy-bench-peers';

const ROUNDS = 13;
const WARM_ROUNDS = 5;
const CALLS = 1200;
const SESSIONS = 8;

interface Build {
  dir: string;
  pid: number;
  clients: Client[];
  cpu: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

async function main(work: string, dirs: string[]): Promise<void> {
  const { build } = await import('esbuild');
  const vendor = await startVendor();
  const builds: Build[] = [];
  for (const [i, dir] of dirs.entries()) {
    const outfile = join(work, `proxy-${i}.mjs`);
    await build({
      entryPoints: [join(resolve(dir), 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      logLevel: 'error',
      banner: {
        js: "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
      },
    });
    const proxy = await startKeyway(vendor.url, pathToFileURL(outfile).href);
    const clients: Client[] = [];
    for (let s = 0; s < SESSIONS; s++) {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(proxy.url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      });
      await client.connect(transport);
      clients.push(client);
    }
    builds.push({ dir, pid: proxy.pid, clients, cpu: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const b of builds) {
      const before = cpuMs(b.pid);
      let started = 0;
      await Promise.all(
        b.clients.map(async (client) => {
          while (started < CALLS) {
            started++;
            await client.callTool({ name: 'echo', arguments: { text: 'bench' } });
          }
        }),
      );
      if (round >= WARM_ROUNDS) b.cpu.push((cpuMs(b.pid) - before) / started);
    }
  }
  for (const b of builds) {
    const rounds = b.cpu.map((ms) => ms.toFixed(2)).join(' ');
    console.log(`${b.dir}: ${median(b.cpu).toFixed(3)} ms CPU per call (rounds: ${rounds})`);
    await Promise.all(b.clients.map((c) => c.close()));
  }
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx test/bench/proxy-builds.ts <proxy src dir> [<proxy src dir> ...]');
  process.exit(2);
}
// Inside the checkout (.tmp/ is ignored by git): the bundles load undici, which the proxy requires
// lazily at run time, from the checkout's node_modules.
await mkdir(join(ROOT, '.tmp'), { recursive: true });
const work = await mkdtemp(join(ROOT, '.tmp', 'keyway-proxy-builds-'));
try {
  await main(work, dirs);
} finally {
  for (const child of children) child.kill();
  await rm(work, { recursive: true, force: true });
}
