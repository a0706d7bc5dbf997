import { META, metaOf } from './era';
import type { RpcId, RpcMessage } from './messages';

/**
 * What moving a 2026-07-28 `subscriptions/listen` stream onto another upstream needs (a key
 * rotation in the proxy, the era bridge's listen at a swap): the client's subscription id kept,
 * duplicates dropped while two upstream streams overlap, and the notifications that make a
 * client refetch when continuity cannot be shown.
 *
 * The assumption behind the overlap (2026-07-28, basic/patterns/subscriptions): a server sends a
 * change to every subscription registered when it happens, in order on each stream, and a new
 * subscription is registered before its `notifications/subscriptions/acknowledged` is sent. So
 * from the new stream's acknowledgment on, every change reaches both streams; the old one is
 * read `LISTEN_OVERLAP_MS` longer, so what it was sent before the new one existed arrives too
 * (two connections to one server are assumed not to lag each other by more than that). The old
 * stream's messages are remembered from the moment the splice starts, since one sent after the
 * new stream's registration can reach Keyway on the old stream before the acknowledgment does.
 * If, when the old stream is let go, it has not yet carried everything the new one did, it was
 * lagging more than assumed, and the client is told to refetch. A listen stream has no event ids
 * to resume from (streamable-http: "Resumable SSE streams via Last-Event-ID are not supported"),
 * so matching whole messages is the only proof of continuity there is.
 */

/** How long a new listen stream may take to be acknowledged before the splice gives up. */
export const LISTEN_ACK_WAIT_MS = 5_000;

/**
 * How long both streams are read after the new one's acknowledgment: longer than two
 * connections to one server plausibly lag each other, short next to a rotation's drain bound.
 */
export const LISTEN_OVERLAP_MS = 750;

/** Messages remembered per side while two streams overlap (bounded whatever a server sends). */
const OVERLAP_MEMORY = 512;

/** The method of a listen stream's first message. */
export const LISTEN_ACK = 'notifications/subscriptions/acknowledged';

/** The subscription id a listen stream's message carries in `_meta`, if any. */
export function subscriptionIdOf(m: RpcMessage): RpcId | undefined {
  const id = metaOf(m)?.[META.subscriptionId];
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/**
 * The message as the client's subscription carries it: its subscription id (in `_meta`, and
 * the `id` of the listen stream's closing answer) set to the id of the `subscriptions/listen`
 * the client sent. The same object when nothing changes.
 */
export function asClientSubscription(m: RpcMessage, clientId: RpcId): RpcMessage {
  let out = m;
  const meta = metaOf(m);
  if (meta && meta[META.subscriptionId] !== undefined && meta[META.subscriptionId] !== clientId)
    out = {
      ...out,
      params: { ...out.params, _meta: { ...meta, [META.subscriptionId]: clientId } },
    };
  const answer = m.method === undefined && (m.result !== undefined || m.error !== undefined);
  if (answer && m.id !== clientId) out = { ...out, id: clientId };
  return out;
}

/** The list-changed notifications that make a client refetch what a listen filter covers. */
export function refetchNotifications(filter: Record<string, unknown>): RpcMessage[] {
  const out: RpcMessage[] = [];
  if (filter.toolsListChanged)
    out.push({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  if (filter.promptsListChanged)
    out.push({ jsonrpc: '2.0', method: 'notifications/prompts/list_changed' });
  if (filter.resourcesListChanged)
    out.push({ jsonrpc: '2.0', method: 'notifications/resources/list_changed' });
  const uris = filter.resourceSubscriptions;
  for (const uri of Array.isArray(uris) ? uris : [])
    if (typeof uri === 'string')
      out.push({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri } });
  return out;
}

/** The same notifications, on a modern stream: each carries the client's subscription id. */
export function refetchOnSubscription(filter: unknown, clientId: RpcId): RpcMessage[] {
  const f =
    typeof filter === 'object' && filter !== null ? (filter as Record<string, unknown>) : {};
  return refetchNotifications(f).map((n) => ({
    ...n,
    params: { ...n.params, _meta: { [META.subscriptionId]: clientId } },
  }));
}

export type OverlapSide = 'old' | 'new';

/**
 * Two listen streams of one subscription read at once: each message is passed on once, however
 * many of the two streams carry it. Messages are compared whole (as text, once both carry the
 * client's subscription id) and paired one to one, so a change the server really sends twice is
 * passed on twice.
 */
export class ListenOverlap {
  /** Messages passed on from one side that the other has not carried yet, oldest first. */
  private readonly waiting: Record<OverlapSide, string[]> = { old: [], new: [] };

  /** True when the message is new to the client (pass it on); false for a duplicate. */
  admit(side: OverlapSide, message: string): boolean {
    const other = this.waiting[side === 'old' ? 'new' : 'old'];
    const at = other.indexOf(message);
    if (at >= 0) {
      other.splice(at, 1);
      return false;
    }
    const mine = this.waiting[side];
    mine.push(message);
    // Past the bound the oldest is forgotten: at worst a late duplicate, never a loss.
    if (mine.length > OVERLAP_MEMORY) mine.shift();
    return true;
  }

  /**
   * Messages the new stream carried that the old one has not (yet): when the old stream is let
   * go with some, it was lagging, and what it still had on the way is not proven delivered.
   */
  get oldBehind(): number {
    return this.waiting.new.length;
  }
}
