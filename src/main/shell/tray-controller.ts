import type { KeywayApi, KeywayEvent } from '../../shared/contract';
import type { TrayState } from './tray-menu';
import { trayStateFrom, type TraySources } from './tray-state';

export interface TrayView {
  update(state: TrayState): void;
}

export interface TrayControllerDeps {
  api: Pick<
    KeywayApi,
    | 'status'
    | 'key.list'
    | 'rotation.list'
    | 'connection.list'
    | 'vendor.list'
    | 'key.rotate'
    | 'proxy.setPaused'
  > &
    Partial<Pick<KeywayApi, 'account.list'>>;
  subscribe(listener: (event: KeywayEvent) => void): () => void;
  view: TrayView;
  /** Told when a one-click rotation from the tray fails before any step was reported. */
  onRotateError(ref: string, message: string): void;
  canPauseProxy: boolean;
  now?: () => Date;
  debounceMs?: number;
}

/**
 * Keeps the tray in step with the service: reloads what the menu shows after any event that
 * can change it (debounced: a rotation emits a burst), and runs one-click rotations.
 */
export class TrayController {
  private readonly dueRefs = new Set<string>();
  private readonly rotating = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: TrayControllerDeps) {}

  start(): () => void {
    const off = this.deps.subscribe((event) => {
      if (event.type === 'key.due') this.dueRefs.add(event.payload.key);
      if (event.type !== 'audit.appended') this.schedule();
    });
    void this.refresh();
    return () => {
      off();
      if (this.timer) clearTimeout(this.timer);
    };
  }

  /** Reads everything the menu shows; one refresh at a time, the last request always honoured. */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.load()
      .then((sources) => this.deps.view.update(trayStateFrom(sources)))
      .finally(() => {
        this.refreshing = null;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.refreshing;
  }

  async rotate(ref: string): Promise<void> {
    if (this.rotating.has(ref)) return;
    this.rotating.add(ref);
    await this.refresh();
    try {
      await this.deps.api['key.rotate']({ ref });
      this.dueRefs.delete(ref);
    } catch (err) {
      this.deps.onRotateError(ref, (err as Error).message || 'rotation failed');
    } finally {
      this.rotating.delete(ref);
      await this.refresh();
    }
  }

  /** Pause or resume the proxy from the tray; the menu follows from the next status. */
  async toggleProxy(): Promise<void> {
    const status = await this.deps.api.status({});
    await this.deps.api['proxy.setPaused']({ paused: !status.proxy.paused });
    await this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, this.deps.debounceMs ?? 250);
  }

  private async load(): Promise<TraySources> {
    const { api } = this.deps;
    // A menu with what we could read beats no menu: each source falls back on its own.
    const [status, keys, rotations, connections, vendors, accounts] = await Promise.all([
      api.status({}).catch(() => ({ proxy: { running: false, paused: false, port: null } })),
      api['key.list']({}).catch(() => []),
      api['rotation.list']({}).catch(() => []),
      api['connection.list']({}).catch(() => []),
      api['vendor.list']({}).catch(() => []),
      api['account.list']?.({}).catch(() => []),
    ]);
    return {
      status,
      keys,
      rotations,
      connections,
      vendors,
      ...(accounts ? { accounts } : {}),
      dueRefs: this.dueRefs,
      rotating: this.rotating,
      paused: status.proxy.paused,
      canPauseProxy: this.deps.canPauseProxy,
      now: this.deps.now?.() ?? new Date(),
    };
  }
}
