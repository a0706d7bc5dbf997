import { randomBytes } from 'node:crypto';
import type { RunView } from '../../../../shared/contract/ops-runs';
import { KeywayError } from '../../../../shared/errors';
import { processAlive } from '../../process-alive';
import type { VersionHolder } from '../../rotation/rotation-context';

/** A run that has not reported for this long is gone (its `keyway run` was killed). */
const STALE_MS = 30_000;
const POLL_MS = 100;

interface Run {
  id: string;
  pid: number;
  command: string;
  versions: Set<string>;
  seenAt: number;
}

/**
 * The `keyway run` processes of this instance and the key versions their programs hold, in
 * memory only (a restart of the instance forgets them; they register again on their next
 * heartbeat). A rotation's drain waits until no live run holds the old version.
 */
export class RunRegistry implements VersionHolder {
  private readonly runs = new Map<string, Run>();

  register(pid: number, command: string, versions: string[]): RunView {
    const run: Run = {
      id: `run_${randomBytes(12).toString('base64url')}`,
      pid,
      command,
      versions: new Set(versions),
      seenAt: Date.now(),
    };
    this.runs.set(run.id, run);
    return view(run);
  }

  update(id: string, versions: string[]): RunView {
    const run = this.runs.get(id);
    if (!run) throw new KeywayError('not_found', `no run ${id}; register again`);
    run.versions = new Set(versions);
    run.seenAt = Date.now();
    return view(run);
  }

  end(id: string): boolean {
    return this.runs.delete(id);
  }

  list(): RunView[] {
    this.prune();
    return [...this.runs.values()].map(view);
  }

  /** Live runs whose program still holds this key version. */
  holding(versionId: string): number {
    this.prune();
    return [...this.runs.values()].filter((r) => r.versions.has(versionId)).length;
  }

  async drain(
    versionId: string,
    timeoutMs: number,
  ): Promise<{ drained: boolean; inFlight: number }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const n = this.holding(versionId);
      if (n === 0) return { drained: true, inFlight: 0 };
      if (Date.now() >= until) return { drained: false, inFlight: n };
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, until - Date.now()))));
    }
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, r] of this.runs)
      if (now - r.seenAt > STALE_MS || !processAlive(r.pid)) this.runs.delete(id);
  }
}

function view(r: Run): RunView {
  return {
    id: r.id,
    pid: r.pid,
    command: r.command,
    versions: [...r.versions],
    seenAt: new Date(r.seenAt).toISOString(),
  };
}
