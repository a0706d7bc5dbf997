import type { KeywayApi } from '../../shared/contract';
import { KeywayError } from '../../shared/errors';
import { readDiscovery } from '../../main/core/discovery';
import { dataDirId } from '../../main/core/data-dir';
import { OsKeychain } from '../../main/core/keychain/os-keychain';
import { secretNames } from '../../main/core/keychain/secret-store';
import { processAlive } from '../../main/core/process-alive';
import { controlClient } from '../control-client';
import type { SseEvent } from '../../shared/mcp/sse';
import { SseParser } from '../../shared/mcp/sse';

const HEARTBEAT_MS = 5_000;
/** Keyway's own events are small; a bigger one is not one this loop needs. */
const MAX_EVENT_BYTES = 1024 * 1024;

/** The running instance as `keyway run` uses it: the API, and its event stream. */
export interface Instance {
  api: KeywayApi;
  url: string;
  token: string;
}

export async function findInstance(dataDir: string): Promise<Instance> {
  const discovery = await readDiscovery(dataDir);
  if (!discovery || !processAlive(discovery.pid))
    throw new KeywayError(
      'not_found',
      `Keyway is not running for ${dataDir}: start it with \`keyway serve\` (or open the desktop app), or pass --data-dir`,
    );
  const token = await new OsKeychain().get(secretNames.controlToken(dataDirId(dataDir)));
  if (!token)
    throw new KeywayError(
      'unauthorized',
      `the control token of the Keyway at ${discovery.url} is not in this user's keychain`,
    );
  return { api: controlClient(discovery.url, token), url: discovery.url, token };
}

/**
 * Tells the instance which key versions this run's program holds, so a rotation's drain waits
 * for it to move to the new key before revoking the old one. The heartbeat keeps the
 * registration alive (and re-registers after the instance restarted); `onTick` lets the caller
 * notice a rotation whose event it missed.
 */
export class RunRegistration {
  private id: string | null = null;
  private versions: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly api: KeywayApi,
    private readonly command: string,
    private readonly onTick: () => void,
  ) {}

  async start(versions: string[]): Promise<void> {
    this.versions = versions;
    this.id = (
      await this.api['run.register']({ pid: process.pid, command: this.command, versions })
    ).id;
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  async update(versions: string[]): Promise<void> {
    this.versions = versions;
    await this.beat();
  }

  private async beat(): Promise<void> {
    try {
      if (this.id) await this.api['run.update']({ id: this.id, versions: this.versions });
      else await this.reRegister();
    } catch (err) {
      if (err instanceof KeywayError && err.code === 'not_found')
        // Serve restarting or gone: the next heartbeat registers again.
        await this.reRegister().catch(() => undefined);
    }
    this.onTick();
  }

  private async reRegister(): Promise<void> {
    this.id = (
      await this.api['run.register']({
        pid: process.pid,
        command: this.command,
        versions: this.versions,
      })
    ).id;
  }

  async end(): Promise<void> {
    clearInterval(this.timer);
    const id = this.id;
    this.id = null;
    // Serve gone or busy: it forgets a run whose heartbeat stops (or whose process died) anyway.
    if (id) await this.api['run.end']({ id }).catch(() => undefined);
  }
}

/**
 * Follows `/api/events` (SSE) and calls `onSwap(keyRef)` when a rotation swapped a key. Reconnects
 * after a drop; `stop()` ends it.
 */
export function watchRotations(
  instance: Instance,
  onSwap: (key: string) => void,
): { stop(): void } {
  let stopped = false;
  let controller = new AbortController();
  const loop = async (): Promise<void> => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await fetch(`${instance.url}/api/events`, {
          headers: { Authorization: `Bearer ${instance.token}`, Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const parser = new SseParser((event) => onRotationEvent(event, onSwap), {
          maxEventBytes: MAX_EVENT_BYTES,
        });
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
          parser.feed(chunk);
      } catch {
        // Dropped or refused: try again shortly (the heartbeat's version check covers the gap).
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 1_000).unref());
    }
  };
  void loop();
  return {
    stop() {
      stopped = true;
      controller.abort();
    },
  };
}

function onRotationEvent(event: SseEvent, onSwap: (key: string) => void): void {
  if (event.event !== 'rotation.step') return;
  try {
    const p = JSON.parse(event.data) as { key?: string; step?: string; ok?: boolean };
    if (p.step === 'swap' && p.ok && p.key) onSwap(p.key);
  } catch {
    // Not ours to judge; ignore a malformed event.
  }
}
