import type { Attempt, ExchangeSpec, Forwarder } from '../forward/forward';
import { upstreamFailure } from '../forward/forward';
import { clientResponseHeaders } from '../forward/upstream-headers';
import type { ProxyRequest } from '../proxy-request';
import type { LoneStreams } from '../session/lone-streams';
import type { CutReason, Rebindable } from '../session/proxy-session';
import {
  asClientSubscription,
  LISTEN_ACK,
  LISTEN_ACK_WAIT_MS,
  LISTEN_OVERLAP_MS,
  ListenOverlap,
  refetchOnSubscription,
  subscriptionIdOf,
} from '../../../../shared/mcp/listen-splice';
import type { OverlapSide } from '../../../../shared/mcp/listen-splice';
import type { RpcId, RpcMessage } from '../../../../shared/mcp/messages';
import { isResponse, parseRpc, rpcErrorJson } from '../../../../shared/mcp/messages';
import { sseMessage } from '../../../../shared/mcp/sse';
import type { ListenSink } from './listen-upstream';
import { ListenUpstream } from './listen-upstream';

/**
 * A 2026-07-28 client's `subscriptions/listen` stream, passed through (not bridged). It may live
 * for hours, so at a rotation's drain the proxy moves it onto the new key without the client
 * seeing a thing: the same `subscriptions/listen` goes upstream again with the new key; once
 * the vendor acknowledges it, both upstream streams are read for `LISTEN_OVERLAP_MS`, each
 * change passed on once (duplicates dropped, see listen-splice.ts for the assumption), then the
 * old one is ended and its lease given back, so the drain ends. The client keeps its one
 * response and its subscription id (rewritten should the vendor acknowledge another one).
 *
 * Where continuity is not shown — the old stream ended before the new one was acknowledged, or
 * was still behind the new one when let go — the client is sent the list_changed / updated
 * notifications its filter covers, so it refetches rather than miss a change. A vendor that
 * does not acknowledge within `LISTEN_ACK_WAIT_MS` (or refuses the new key) gets no second
 * chance: the old stream ends at the drain (its key is about to be revoked), and the client gets
 * the refetch notifications, then an error answer to its listen saying why, which the SDK
 * reports as a remote end ("listen again"); listening again goes out with the new key.
 */
export class ListenStream implements Rebindable, ListenSink {
  private live!: ListenUpstream;
  private next: ListenUpstream | undefined;
  private overlap: ListenOverlap | undefined;
  private phase: 'steady' | 'opening' | 'overlap' = 'steady';
  /** During a splice: the old stream ended before the new one was acknowledged. */
  private oldGone = false;
  /** The stream the client is on carries another subscription id than the client's. */
  private rewrite = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  /** Whole events waiting while the old stream finishes an event it was passing on raw. */
  private held: string[] = [];
  private untrack: () => void = () => undefined;
  private ended = false;
  private readonly clientId: RpcId;

  constructor(
    private readonly fw: Forwarder,
    private readonly x: ProxyRequest,
    private readonly bytes: Buffer,
    private readonly request: RpcMessage,
    private readonly lone: LoneStreams,
  ) {
    this.clientId = request.id!;
  }

  get versionId(): string | undefined {
    return this.ended ? undefined : this.live.versionId;
  }

  start(a: Attempt): void {
    const { x } = this;
    x.writeHead(a.upRes.status, clientResponseHeaders(a.upRes.headers, undefined));
    x.res.flushHeaders();
    x.res.once('close', () => this.stop());
    x.onCut((why) => this.cut(why));
    this.untrack = this.lone.add(x.route.slug, this);
    this.live = new ListenUpstream(a, this, 'raw');
    this.live.begin();
  }

  rebind(): void {
    if (this.ended) return;
    if (this.phase !== 'steady') this.again = true;
    else void this.splice();
  }

  cut(why?: CutReason): void {
    if (this.ended) return;
    const torn = this.tornEnd();
    this.stop();
    if (!why) return void this.x.res.destroy();
    this.x.res.end(torn + sseMessage(rpcErrorJson(this.clientId, why.message)));
  }

  // ---- the splice ----

  private async splice(): Promise<void> {
    this.phase = 'opening';
    this.oldGone = false;
    this.overlap = new ListenOverlap();
    this.live.want('events');
    const waited = `${LISTEN_ACK_WAIT_MS / 1000} s`;
    this.arm(LISTEN_ACK_WAIT_MS, () =>
      this.giveUp(`the MCP server did not acknowledge it with the new key within ${waited}`),
    );
    const spec: ExchangeSpec = {
      method: 'POST',
      body: { kind: 'buffered', bytes: this.bytes },
      mayReopen: false,
    };
    let a: Attempt;
    try {
      a = await this.fw.send(this.x, spec);
    } catch (err) {
      // Abandoned (the client left: nothing to answer) ends here too, through `ended`.
      return this.giveUp(`re-opening it with the new key failed: ${upstreamFailure(err).message}`);
    }
    if (this.ended || this.phase !== 'opening') {
      a.call.abort();
      a.lease.release();
      return;
    }
    const status = a.upRes.status;
    if (status < 200 || status >= 300 || !a.upRes.isEventStream) {
      a.upRes.discard();
      a.lease.release();
      return this.giveUp(`the MCP server answered HTTP ${status} to it with the new key`);
    }
    this.next = new ListenUpstream(a, this, 'events');
    this.next.begin();
  }

  private acknowledged(ack: RpcMessage): void {
    const id = subscriptionIdOf(ack);
    // The vendor numbered the new subscription itself: its messages are rewritten from now on.
    this.rewrite = id !== undefined && id !== this.clientId;
    this.phase = 'overlap';
    if (this.oldGone) return this.finishSplice();
    this.arm(LISTEN_OVERLAP_MS, () => this.finishSplice());
  }

  /** `oldEnded`: the old stream ended by itself during the overlap (all it carried arrived). */
  private finishSplice(oldEnded?: 'cleanly' | 'broken'): void {
    const next = this.next;
    if (this.ended || !next) return;
    this.disarm();
    // Half an event the old stream never finished is lost to the client: continuity unproven.
    const torn = this.tornEnd();
    const behind = oldEnded !== 'cleanly' && (this.overlap?.oldBehind ?? 0) > 0;
    const gap = this.oldGone || torn !== '' || oldEnded === 'broken' || behind;
    this.live.close();
    this.live = next;
    this.next = undefined;
    this.overlap = undefined;
    this.phase = 'steady';
    this.write(torn);
    this.settled();
    if (gap) for (const n of refetchOnSubscription(this.filter, this.clientId)) this.emit(n);
    if (!this.rewrite) next.want('raw');
    if (!this.again) return;
    this.again = false;
    const key = this.live.versionId;
    void this.fw.currentKey(this.x.route.slug).then(
      (current) => current.versionId !== key && this.rebind(),
      () => undefined,
    );
  }

  /** The splice failed: the old stream ends (the drain ends), the client is told to refetch. */
  private giveUp(reason: string): void {
    if (this.ended) return;
    const torn = this.tornEnd();
    this.stop();
    const out = refetchOnSubscription(this.filter, this.clientId).map((n) => JSON.stringify(n));
    out.push(
      rpcErrorJson(this.clientId, `Keyway ended this subscription: ${reason}. Listen again.`),
    );
    this.x.res.end(torn + out.map((m) => sseMessage(m)).join(''));
  }

  // ---- the sink of both upstream streams ----

  raw(chunk: Buffer, from: ListenUpstream): boolean {
    const res = this.x.res;
    if (from !== this.live || chunk.length === 0 || res.writableEnded || res.destroyed) return true;
    if (res.write(chunk)) return true;
    res.once('drain', () => from.attempt.upRes.resume());
    return false;
  }

  event(data: string, from: ListenUpstream): void {
    const parsed = parseRpc(data);
    const m = parsed && !Array.isArray(parsed) ? parsed : undefined;
    if (from === this.next && this.phase === 'opening') {
      if (m?.method === LISTEN_ACK) return this.acknowledged(m);
      // The spec allows nothing before the acknowledgment; a refusal (capacity, params) ends it.
      if (m && isResponse(m)) return this.giveUp('the MCP server refused it with the new key');
    }
    if (from !== this.live && from !== this.next) return;
    if (!m) return this.emitText(data);
    // The old stream's graceful end while it is being replaced: the new stream carries on.
    if (from === this.live && this.phase !== 'steady' && isResponse(m)) return;
    const side: OverlapSide = from === this.live ? 'old' : 'new';
    const json = JSON.stringify(asClientSubscription(m, this.clientId));
    // The old stream's messages are remembered from the splice's start: one the vendor sent after
    // registering the new stream may reach Keyway on the old one before the new one's ack does.
    if (!this.overlap || this.overlap.admit(side, json)) this.emitText(json);
  }

  quiet(from: ListenUpstream): void {
    // A keep-alive from the stream the client is on, read as events: it passes as a comment.
    if (from === this.live && this.phase === 'steady') this.write(':\n\n');
  }

  settled(): void {
    const held = this.held;
    this.held = [];
    for (const text of held) this.write(text);
  }

  over(from: ListenUpstream, broke: boolean): void {
    if (this.ended) return;
    if (from === this.next) {
      return this.giveUp('the MCP server ended the new listen stream before it took over');
    }
    if (from !== this.live) return;
    if (this.phase === 'opening') this.oldGone = true;
    else if (this.phase === 'overlap') this.finishSplice(broke ? 'broken' : 'cleanly');
    else {
      this.stop();
      if (broke) this.x.res.destroy();
      else this.x.res.end();
    }
  }

  // ---- helpers ----

  private get filter(): unknown {
    return this.request.params?.notifications;
  }

  /**
   * What ends an event the client got only part of (raw, from a stream that is being let go):
   * the client's parser drops the torn event and reads Keyway's next ones cleanly.
   */
  private tornEnd(): string {
    return this.live.midEvent ? '\n\n' : '';
  }

  private emit(m: RpcMessage): void {
    this.emitText(JSON.stringify(m));
  }

  private emitText(json: string): void {
    const text = sseMessage(json);
    if (this.live.midEvent) this.held.push(text);
    else this.write(text);
  }

  private write(text: string): void {
    const res = this.x.res;
    if (text !== '' && !res.writableEnded && !res.destroyed) res.write(text);
  }

  private arm(ms: number, fire: () => void): void {
    this.disarm();
    this.timer = setTimeout(fire, ms);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.disarm();
    this.untrack();
    this.live.close();
    this.next?.close();
    this.next = undefined;
    this.held = [];
  }
}
