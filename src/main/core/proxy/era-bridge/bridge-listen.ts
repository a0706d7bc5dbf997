import type { Forwarder } from '../forward/forward';
import type { ProxyRequest } from '../proxy-request';
import type { ProxySession, Rebindable } from '../session/proxy-session';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { sseMessage } from '../../../../shared/mcp/sse';
import type { BridgeState } from './bridge-state';
import { listenFilter } from './bridge-state';
import { legacyNotification } from './legacy-view';
import {
  LISTEN_ACK,
  LISTEN_ACK_WAIT_MS,
  refetchNotifications,
} from '../../../../shared/mcp/listen-splice';
import type { ModernCall } from './modern-call';
import { startModernCall } from './modern-call';
import { modernHeaders, withEnvelope } from './modern-envelope';

/**
 * A 2025 session's GET stream, served from a 2026-07-28 `subscriptions/listen` stream. When the
 * filter changes (a subscribe) or the key is swapped (a rotation's drain), a new listen stream is
 * opened first and the old one closed only once the new one is acknowledged, so no notification
 * falls between them; if the new one is not acknowledged in time the client is told to refetch
 * (the list_changed and updated notifications), since continuity can't be proven.
 */
export class BridgeListen implements Rebindable {
  private call: ModernCall | undefined;
  /** Replacements run one at a time, each from the stream the previous one left. */
  private queue: Promise<void> = Promise.resolve();
  private opened = 0;
  private ended = false;

  constructor(
    private readonly fw: Forwarder,
    private readonly x: ProxyRequest,
    private readonly session: ProxySession,
    private readonly state: BridgeState,
  ) {}

  get versionId(): string | undefined {
    return this.call?.versionId;
  }

  async start(): Promise<void> {
    this.x.onCut(() => this.cut());
    this.x.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'mcp-session-id': this.session.id,
    });
    this.x.res.once('close', () => this.stop());
    this.session.streams.add(this);
    this.state.listen = this;
    // A client reconnecting its GET may have missed changes meanwhile: it refetches (2025-era
    // resumption with Last-Event-ID has no 2026-07-28 counterpart).
    const reconnect = this.state.listened;
    this.state.listened = true;
    await this.replace(reconnect);
  }

  refilter(): void {
    void this.replace(true);
  }

  rebind(): void {
    void this.replace(true);
  }

  private replace(continuing: boolean): Promise<void> {
    this.queue = this.queue.then(() =>
      this.replaceNow(continuing).catch(() => {
        // The server refused the new stream (its key, or it is gone): the client's GET ends and
        // the client reconnects, as from any 2025 server; an old stream must not linger.
        this.cut();
      }),
    );
    return this.queue;
  }

  cut(): void {
    this.stop();
    if (!this.x.res.destroyed) this.x.res.end();
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.session.streams.delete(this);
    if (this.state.listen === this) this.state.listen = undefined;
    this.call?.close();
    this.call = undefined;
  }

  /** Opens a listen stream with the current key and filter, then lets the previous one go. */
  private async replaceNow(continuing: boolean): Promise<void> {
    if (this.ended) return;
    const filter = listenFilter(this.state);
    const previous = this.call;
    if (Object.keys(filter).length === 0) {
      // Nothing to listen for: the GET stays open and quiet, as a 2025 server's would.
      this.call = undefined;
      previous?.close();
      return;
    }
    const id = `keyway-listen-${++this.opened}`;
    const request: RpcMessage = {
      jsonrpc: '2.0',
      id,
      method: 'subscriptions/listen',
      params: { notifications: filter },
    };
    let acked: () => void = () => undefined;
    const acknowledged = new Promise<boolean>((resolve) => {
      acked = () => resolve(true);
      setTimeout(() => resolve(false), LISTEN_ACK_WAIT_MS).unref();
    });
    const next = await startModernCall(
      this.fw,
      this.x,
      withEnvelope(request, this.state.facts),
      modernHeaders(request),
      (m) => {
        if (m.method === LISTEN_ACK) acked();
        const out = legacyNotification(m);
        if (out && !this.x.res.destroyed) this.x.res.write(sseMessage(JSON.stringify(out)));
      },
    );
    if (this.ended) return next.close();
    this.call = next;
    // The server ended the subscription (gracefully or not): the client's GET ends too, and it
    // reconnects as 2025 clients do; what changed meanwhile it refetches on reconnect.
    next.answer.then(
      () => this.endIfCurrent(next),
      () => this.endIfCurrent(next),
    );
    const proven = await acknowledged;
    previous?.close();
    if (continuing && (!proven || !previous) && !this.x.res.destroyed)
      for (const n of refetchNotifications(filter)) this.x.res.write(sseMessage(JSON.stringify(n)));
  }

  private endIfCurrent(call: ModernCall): void {
    if (this.call === call) this.cut();
  }
}
