/**
 * Operation and event names with no schema library behind them, for code that only needs the
 * names (the renderer's HTTP client and event stream, IPC channel lists): importing these does
 * not pull zod into a bundle. `operations.ts` and `events.ts` are checked against these lists by
 * the compiler, so a name cannot be added to one and forgotten in the other.
 */
export const OP_NAMES = [
  'account.add',
  'account.update',
  'account.setCredential',
  'account.list',
  'account.remove',
  'account.addOAuth',
  'account.login',
  'account.awaitLogin',
  'account.logout',
  'account.addClientCredentials',
  'account.fetchToken',
  'account.rotateClientCredential',
  'key.list',
  'key.add',
  'key.create',
  'key.checkFormat',
  'key.rotate',
  'key.setPolicy',
  'key.copy',
  'key.revoke',
  'key.remove',
  'rotation.list',
  'rotation.confirmRevoked',
  'rotation.retryRevoke',
  'proxy.setPaused',
  'connection.stats',
  'connection.add',
  'connection.update',
  'connection.list',
  'connection.remove',
  'client.add',
  'client.rotateToken',
  'client.remove',
  'client.list',
  'client.revoke',
  'client.checkToken',
  'status',
  'vendor.list',
  'scope.check',
  'settings.get',
  'settings.update',
  'audit.list',
  'run.register',
  'run.update',
  'run.end',
  'run.list',
  'traffic.history',
] as const;
export type OpName = (typeof OP_NAMES)[number];

export const EVENT_NAMES = [
  'state.changed',
  'audit.appended',
  'key.refused',
  'rotation.step',
  'rotation.changed',
  'key.due',
  'account.needsLogin',
  'traffic.changed',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

const OP_SET: ReadonlySet<string> = new Set(OP_NAMES);
export function isOpName(name: string): name is OpName {
  return OP_SET.has(name);
}

/** `true` only when A and B are the same union: the compile-time check between lists and tables. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
