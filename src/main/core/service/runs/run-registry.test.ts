import { describe, expect, it } from 'vitest';
import { RunRegistry } from './run-registry';

describe('RunRegistry: the rotation drain waits for keyway run programs', () => {
  it('drains once the run moved to the new version', async () => {
    const runs = new RunRegistry();
    const run = runs.register(process.pid, 'server', ['v0']);
    const started = Date.now();
    setTimeout(() => runs.update(run.id, ['v0', 'v1']), 50);
    setTimeout(() => runs.update(run.id, ['v1']), 300);
    expect(await runs.drain('v0', 5_000)).toEqual({ drained: true, inFlight: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('gives up at the bound and says how many still hold the version', async () => {
    const runs = new RunRegistry();
    runs.register(process.pid, 'a', ['v0']);
    runs.register(process.pid, 'b', ['v0', 'v9']);
    expect(await runs.drain('v0', 150)).toEqual({ drained: false, inFlight: 2 });
  });

  it('does not wait for a run whose process is gone', async () => {
    const runs = new RunRegistry();
    runs.register(2 ** 22 + 12345, 'gone', ['v0']);
    expect(await runs.drain('v0', 1_000)).toEqual({ drained: true, inFlight: 0 });
    expect(runs.list()).toEqual([]);
  });
});
