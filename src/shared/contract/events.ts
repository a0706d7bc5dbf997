/** Events the service emits; shells forward them (IPC, SSE on the control API). */
import type { AuditEntry } from '../domain';
import type { EventName, Same } from './names';
import type { RotationView, StepResult } from './views';

export interface KeywayEvents {
  'state.changed': { what: 'accounts' | 'keys' | 'connections' | 'clients' | 'settings' };
  'audit.appended': AuditEntry;
  'key.refused': { key: string; versionId: string; status: number };
  /** A step of a new key version: a rotation's, or a created key's (`kind: 'create'`). */
  'rotation.step': { key: string; rotationId: string; kind?: 'create' | 'rotate' } & StepResult;
  'rotation.changed': { key: string; rotation: RotationView | null };
  'key.due': { key: string; dueAt: string; guided: boolean };
  /** An OAuth account's refresh was refused or it wants more scopes: the user must log in. */
  'account.needsLogin': { account: string; reason: string };
  /** The traffic history moved (at most once a second): refetch `traffic.history`. */
  'traffic.changed': { at: number };
}
export type KeywayEvent = { [E in EventName]: { type: E; payload: KeywayEvents[E] } }[EventName];

/** Compile-time check that `EVENT_NAMES` and `KeywayEvents` list the same events. */
export const eventNamesMatch: Same<EventName, keyof KeywayEvents> = true;
