import type { ProxyKey, ProxyRoute } from '../proxy-backend';
import type { PreparedSession, ProxySession } from '../session/proxy-session';
import type { VendorAccess } from './upstream-http';
import { deleteVendorSession, openVendorSession } from './vendor-session';

/**
 * A prepared session nobody adopted by then is checked: if its key never became current (the
 * rotation stopped before the swap), the vendor session is closed rather than left to linger.
 */
const UNUSED_CHECK_MS = 60_000;
/**
 * Openings run this many at a time: a burst of one per session would land on the vendor (and on
 * the proxy's event loop) together with the clients' own calls and slow them all at once.
 */
const OPEN_LANES = 2;

/**
 * Vendors that bind an MCP session to the key that opened it refuse the old session as soon as
 * the new key is swapped in; the reactive re-open then costs each session's first call after the
 * swap a 404 and a replay. For those vendors the proxy opens the new-key sessions before the swap
 * and switches to them on first use. A vendor shows it binds sessions by that very refusal, so
 * the first rotation teaches it; a vendor that never refuses is never sent a prepared session,
 * whose server-side state (beyond what Keyway replays) would otherwise be lost for nothing.
 */
export function noteBoundVendor(bound: Set<string>, route: ProxyRoute): void {
  bound.add(route.upstream.href);
}

/**
 * Opens, with `key`, a vendor session for every live session of the route that the vendor will
 * refuse once `key` is current. Resolves when all are open or failed; never rejects.
 */
export async function prepareSessions(
  v: VendorAccess,
  bound: Set<string>,
  sessions: Iterable<ProxySession>,
  route: ProxyRoute,
  key: ProxyKey,
): Promise<void> {
  if (route.transport !== 'streamable-http' || !bound.has(route.upstream.href)) return;
  const opening: Promise<unknown>[] = [];
  const lanes: Promise<unknown>[] = Array.from({ length: OPEN_LANES }, () => Promise.resolve());
  let n = 0;
  for (const session of sessions) {
    if (session.slug !== route.slug || !session.replay.initialize) continue;
    if (session.boundVersion === key.versionId) continue;
    if (session.prepared?.versionId === key.versionId) {
      opening.push(session.prepared.ready);
      continue;
    }
    // One prepared at a time: one for an earlier, abandoned key version is no use any more.
    session.prepared?.discard();
    const lane = n++ % OPEN_LANES;
    session.prepared = prepare(v, route, session, key, lanes[lane]!);
    lanes[lane] = session.prepared.ready;
    opening.push(session.prepared.ready);
  }
  await Promise.all(opening);
}

/**
 * On the hot path, when a request is about to carry `key` in a session bound to another key:
 * switches the session to the vendor session prepared for `key`, if there is a usable one.
 * Otherwise leaves it as is, and the reactive re-open covers the session.
 */
export async function adoptPrepared(session: ProxySession, key: ProxyKey): Promise<void> {
  const prepared = session.prepared;
  if (!prepared || prepared.versionId !== key.versionId) return;
  const upstreamId = await prepared.ready;
  // Concurrent requests wait on the same opening; the first one adopts it.
  if (session.prepared !== prepared || session.boundVersion === key.versionId) return;
  if (
    upstreamId === undefined ||
    session.reopening !== undefined ||
    prepared.replayed !== session.replay.fingerprint()
  ) {
    // Failed, raced by a re-open, or the client changed its level or subscriptions meanwhile.
    prepared.discard();
    return;
  }
  prepared.adopt();
  session.upstreamId = upstreamId;
  session.boundVersion = key.versionId;
  for (const stream of session.streams) stream.rebind();
}

function prepare(
  v: VendorAccess,
  route: ProxyRoute,
  session: ProxySession,
  key: ProxyKey,
  after: Promise<unknown>,
): PreparedSession {
  const ready = after
    .then(() => openVendorSession(v, route, session.replay, key))
    .catch((err: unknown) => {
      // No prepared session: the first request with the new key re-opens one on its path.
      v.log.debug(`could not open a new-key vendor session of "${route.slug}" ahead`, err);
      return undefined;
    });
  const detach = (): boolean => {
    clearTimeout(timer);
    if (session.prepared !== prepared) return false;
    session.prepared = undefined;
    return true;
  };
  const prepared: PreparedSession = {
    versionId: key.versionId,
    ready,
    replayed: session.replay.fingerprint(),
    adopt: () => void detach(),
    discard: () => {
      if (!detach()) return;
      const version = session.replay.protocolVersion;
      void ready
        .then((id) =>
          id === undefined ? undefined : deleteVendorSession(v, route, id, key, version),
        )
        .catch((err: unknown) =>
          v.log.debug(`could not end an unused vendor session of "${route.slug}"`, err),
        );
    },
  };
  const timer = setTimeout(() => {
    v.backend.currentKey(route.slug).then(
      (current) => {
        if (current.versionId !== key.versionId) prepared.discard();
      },
      () => prepared.discard(),
    );
  }, UNUSED_CHECK_MS);
  timer.unref();
  return prepared;
}
