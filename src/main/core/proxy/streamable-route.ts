import type { ClientRequest } from 'node:http';
import type { ClientExchange, ProxyContext } from './proxy-context';
import type { Cuttable, RpcId } from './proxy-session';
import { isInitialize, newReplay, noteReplay, parseMessages, requestIds } from './proxy-session';
import { readRequestBody, REPLAY_LIMIT } from './request-body';
import { refuse } from './request-guard';
import { SessionStream } from './session-stream';
import type { Attempt, RelayHandle } from './upstream-exchange';
import { relay, sendUpstream, upstreamFailure, vendorRefusal } from './upstream-exchange';

/** Serves one client request against a Streamable HTTP upstream. */
export async function serveStreamable(
  px: ProxyContext,
  x: ClientExchange,
  done: () => void,
): Promise<void> {
  let upstreamReq: ClientRequest | undefined;
  let stream: SessionStream | undefined;
  let relayed: RelayHandle | undefined;
  const cuttable: Cuttable = {
    cut: (why) => {
      if (stream) return stream.cut();
      if (relayed) return relayed.cut(why);
      upstreamReq?.destroy();
      if (why && !x.res.headersSent) refuse(x.res, why);
      else x.res.destroy();
    },
  };
  const untrack = px.active.add(x.client, cuttable);
  const finish = (): void => {
    untrack();
    done();
  };
  const hooks: Hooks = {
    onRequest: (req) => {
      upstreamReq = req;
    },
    onRelay: (handle) => {
      relayed = handle;
    },
  };
  const method = x.req.method;
  if (method === 'GET') {
    const lastEventId = x.req.headers['last-event-id'];
    const from = typeof lastEventId === 'string' ? lastEventId : undefined;
    stream = new SessionStream(px, x, from, hooks.onRequest, finish);
    return stream.start();
  }
  if (method === 'DELETE') return deleteSession(px, x, hooks, finish);
  return post(px, x, hooks, finish);
}

interface Hooks {
  onRequest: (req: ClientRequest) => void;
  onRelay: (handle: RelayHandle) => void;
}

async function post(
  px: ProxyContext,
  x: ClientExchange,
  hooks: Hooks,
  done: () => void,
): Promise<void> {
  const body = await readRequestBody(x.req, px.maxBodyBytes, REPLAY_LIMIT);
  if ('status' in body) {
    x.failed();
    refuse(x.res, body);
    return done();
  }
  const bytes = body.kind === 'buffered' ? body.bytes : undefined;
  // Only bodies that matter to a session's replay are parsed up front; ids only if ever needed.
  const messages = bytes && parseMessages(bytes);
  const initializing = !x.session && isInitialize(messages);
  if (x.session) noteReplay(x.session.replay, messages);
  const a = await attempt(px, x, () =>
    sendUpstream(px, x, { method: 'POST', body, mayReopen: true, onRequest: hooks.onRequest }),
  );
  if (!a) return done();
  const upstreamId = a.upRes.headers['mcp-session-id'];
  const status = a.upRes.statusCode ?? 502;
  let clientSessionId = x.session?.id;
  if (initializing && status < 300 && typeof upstreamId === 'string' && body.kind === 'buffered') {
    const replay = newReplay();
    replay.initialize = body.bytes;
    const session = px.sessions.create(x.route.slug, x.client, a.key.versionId, replay);
    session.upstreamId = upstreamId;
    clientSessionId = session.id;
    px.backend.onClientSession({
      type: 'connected',
      slug: x.route.slug,
      client: x.client,
      sessionId: session.id,
    });
  } else if (x.session && a.upstreamSession === x.session.upstreamId) {
    if (status < 300) x.session.boundVersion = a.key.versionId;
    // The vendor forgot the session on its own (no key swap explains it): the client re-initializes.
    if (status === 404 && px.sessions.remove(x.session)) disconnected(px, x);
  }
  const ids = (): RpcId[] => requestIds(messages ?? (bytes && parseMessages(bytes, true)));
  hooks.onRelay(relay(x, a, clientSessionId, done, ids));
}

async function deleteSession(
  px: ProxyContext,
  x: ClientExchange,
  hooks: Hooks,
  done: () => void,
): Promise<void> {
  const session = x.session;
  const a = await attempt(px, x, () =>
    sendUpstream(px, x, {
      method: 'DELETE',
      body: undefined,
      mayReopen: false,
      onRequest: hooks.onRequest,
    }),
  );
  if (!a) return done();
  if (session && px.sessions.remove(session)) disconnected(px, x);
  const status = a.upRes.statusCode ?? 502;
  if (session && status >= 400 && status !== 405 && session.boundVersion !== a.key.versionId) {
    // The vendor session is bound to a retired key and dies with it; for the client it is over.
    a.upRes.resume();
    a.lease.release();
    x.res.writeHead(200).end();
    return done();
  }
  hooks.onRelay(relay(x, a, session?.id, done));
}

/** Sends, and answers the client itself when the vendor cannot be used; undefined then. */
async function attempt(
  px: ProxyContext,
  x: ClientExchange,
  send: () => Promise<Attempt>,
): Promise<Attempt | undefined> {
  let a: Attempt;
  try {
    a = await send();
  } catch (err) {
    x.failed();
    refuse(x.res, upstreamFailure(err));
    return undefined;
  }
  const refusal = vendorRefusal(x, a.upRes);
  if (refusal) {
    a.upRes.resume();
    a.lease.release();
    x.failed();
    refuse(x.res, refusal);
    return undefined;
  }
  return a;
}

function disconnected(px: ProxyContext, x: ClientExchange): void {
  if (!x.session) return;
  px.backend.onClientSession({
    type: 'disconnected',
    slug: x.route.slug,
    client: x.client,
    sessionId: x.session.id,
  });
}
