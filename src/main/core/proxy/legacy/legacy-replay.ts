import type { Forwarder } from '../forward/forward';
import { ProxyFailure } from '../forward/forward';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { idKey, rpcJson } from '../../../../shared/mcp/messages';
import type { LegacyLink } from './legacy-link';
import { postToLink } from './legacy-link';
import type { LegacyState } from './legacy-state';

/**
 * Re-opens the vendor session on a new link, behind the client's back: its own initialize (under
 * a proxy id, so the answer stays here), then initialized, its logging level, its subscriptions.
 */
export async function replayOnLink(
  fw: Forwarder,
  state: LegacyState,
  link: LegacyLink,
): Promise<void> {
  const send = (message: object): ReturnType<typeof postToLink> =>
    postToLink(fw, state.route, link, Buffer.from(rpcJson(message)));
  const ask = async (message: RpcMessage): Promise<void> => {
    const id = `keyway-replay-${++state.replayed}`;
    const answer = new Promise<void>((resolve) => {
      state.pending.set(idKey(id), { link, deliver: () => resolve() });
    });
    link.outstanding++;
    const out = await send({ ...message, id });
    if (out.status >= 300) {
      const message = `re-opening the vendor session failed (HTTP ${out.status})`;
      throw new ProxyFailure({ status: 502, message });
    }
    await answer;
  };
  for (const { method, params, notification } of state.session.replay.steps()) {
    if (notification) await send({ method, params });
    else await ask({ method, params });
  }
}
