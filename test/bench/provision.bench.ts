// Provisioning 50 Quave keys with `keyway provision`, against 50 bare vendor creates (Quave's
// createMcpKey, the one call a key needs at minimum) in the same run and the same sandbox. For
// each key Keyway also stores the secret in the keychain, verifies it (Quave's API and an MCP
// initialize), journals and records it: the ratio says what that safety costs.
// Run: bash scripts/with-keyring.sh npx tsx test/bench/provision.bench.ts
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMcpKey } from '../../src/main/core/vendors/quave-api';
import { KEYWAY_BIN, startServe } from '../support/keyway-process';

const KEYS = 50;

interface Ready {
  sandbox: { vendors: { quave: { apiUrl: string; mcpUrl: string } } };
}

async function userToken(apiUrl: string, user: string): Promise<string> {
  const res = await fetch(`${apiUrl}/__sandbox/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'user-token', user }),
  });
  return ((await res.json()) as { secret: string }).secret;
}

async function bareCreates(
  apiUrl: string,
  mcpUrl: string,
  credential: string,
  round: number,
): Promise<number> {
  const ep = { apiUrl, mcpUrl, auth: { header: 'Authorization', prefix: '' } };
  const started = performance.now();
  for (let i = 0; i < KEYS; i++) {
    await createMcpKey(ep, credential, {
      name: `bare-${round}-${i}`,
      enabledScopes: ['quave:read'],
      returnSecret: true,
    });
  }
  return performance.now() - started;
}

/** `keyway provision`, timed from spawn to exit; its progress lines echoed every 10 steps. */
function provision(
  dataDir: string,
  file: string,
  stdin: string,
): Promise<{ ms: number; steps: number; stepMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [KEYWAY_BIN, 'provision', file, '--credentials-stdin'], {
      env: { ...process.env, KEYWAY_DATA_DIR: dataDir },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let steps = 0;
    let stepMs = 0;
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^\[\s*(\d+)\/(\d+)\] .* ✓ (\d+) ms$/.exec(line);
        if (!m) continue;
        steps++;
        stepMs += Number(m[3]);
        if (Number(m[1]) % 10 === 0 || m[1] === m[2]) process.stdout.write(`  ${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, steps, stepMs })
        : reject(new Error(`keyway provision exited ${code}: ${stderr}`)),
    );
    child.stdin.end(stdin);
  });
}

const dataDir = await mkdtemp(join(tmpdir(), 'keyway-bench-provision-'));
const serve = await startServe({ dataDir, args: ['--sandbox'] });
try {
  const ready = JSON.parse(serve.output().stdout.split('\n')[0] ?? '{}') as Ready;
  const { apiUrl, mcpUrl } = ready.sandbox.vendors.quave;
  const team = await userToken(apiUrl, 'team');
  const bare = await userToken(apiUrl, 'bare');
  const keys = Array.from(
    { length: KEYS },
    (_, i) => `  - ref: team/agent-${i + 1}\n    scopes: [quave:read]\n`,
  ).join('');
  const file = join(dataDir, '..', `keyway-bench-${process.pid}.yaml`);
  await writeFile(
    file,
    `accounts:\n  - name: team\n    vendor: quave\n    apiUrl: ${apiUrl}\n    mcpUrl: ${mcpUrl}\n    serviceAccount: true\nkeys:\n${keys}`,
  );
  // Warm the sandbox and the HTTP stack once, then bare creates on both sides of the provision
  // run, so a drift in machine load shows up instead of skewing the ratio.
  await bareCreates(apiUrl, mcpUrl, bare, 0);
  const before = await bareCreates(apiUrl, mcpUrl, bare, 1);
  process.stdout.write(`keyway provision: ${KEYS} Quave keys (1 account + ${KEYS} keys)\n`);
  const run = await provision(dataDir, file, `team=${team}\n`);
  const after = await bareCreates(apiUrl, mcpUrl, bare, 2);
  const baseline = (before + after) / 2;
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  process.stdout.write(
    [
      `bare createMcpKey × ${KEYS}: ${f(before)} / ${f(after)} (mean ${f(baseline)}, ${(baseline / KEYS).toFixed(1)} ms per key)`,
      `keyway provision (process start to exit): ${f(run.ms)} for ${run.steps} steps (${(run.ms / KEYS).toFixed(1)} ms per key)`,
      `  of which the steps themselves: ${f(run.stepMs)}`,
      `ratio provision / bare creates: ${(run.ms / baseline).toFixed(2)}× (steps only: ${(run.stepMs / baseline).toFixed(2)}×)`,
      '',
    ].join('\n'),
  );
  await rm(file, { force: true });
} finally {
  await serve.stop();
  await rm(dataDir, { recursive: true, force: true });
}
