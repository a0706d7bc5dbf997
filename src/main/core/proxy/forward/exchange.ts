import type { ProxyBackend } from '../proxy-backend';
import { decide, MAX_ATTEMPTS, type RefusalFacts } from './refusal-policy';

/** What one send produced: the answer, and what the policy needs to judge it. */
export interface Sent<T> {
  result: T;
  facts: RefusalFacts;
  /** Lets go of the answer (body, lease) before a resend. */
  discard(): void;
  /** Re-opens the vendor session (or legacy link) with the current key. */
  reopen(): Promise<void>;
}

/** A transport failure that is safe to send again (a pooled socket the vendor had closed). */
export const RESEND = Symbol('resend');

/**
 * The one retry loop of the proxy, for Streamable HTTP and legacy HTTP+SSE alike: sends, asks
 * the refusal policy (refusal-policy.ts) what the answer means, and resends, re-opens or passes
 * it on. `send` is given the attempt number and whether it may still ask for a resend.
 */
export async function exchange<T>(
  backend: ProxyBackend,
  slug: string,
  replayable: boolean,
  send: (mayResend: boolean) => Promise<Sent<T> | typeof RESEND>,
): Promise<T> {
  let renewed = false;
  for (let attempt = 1; ; attempt++) {
    const mayResend = replayable && attempt < MAX_ATTEMPTS;
    const sent = await send(mayResend);
    if (sent === RESEND) continue;
    const verdict = await decide(backend, slug, sent.facts, {
      mayResend,
      mayRenew: !renewed,
    });
    if (verdict === 'pass' || (verdict === 'renewed' && !replayable)) return sent.result;
    sent.discard();
    if (verdict === 'renewed') renewed = true;
    if (verdict === 'reopen') await sent.reopen();
  }
}
