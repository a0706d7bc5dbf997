// The set-up the McpRelay unit tests share: a relay whose client side is an array of the
// messages it wrote, with one fake stdio server attached and in use.
import { McpRelay } from '../../src/cli/run/mcp-relay';
import { fakeServer } from './fake-stdio-server';

export function relayWithServer(onExit: (status: number) => void = () => {}) {
  const toClient: Array<Record<string, unknown>> = [];
  const relay = new McpRelay(
    (l) => toClient.push(JSON.parse(l) as Record<string, unknown>),
    onExit,
  );
  const a = fakeServer();
  relay.use(relay.attach(a.program));
  return { relay, toClient, a };
}

/** Lets the relay's queued writes and the fake server's answers land. */
export const tick = (): Promise<unknown> => new Promise((r) => setTimeout(r, 5));
