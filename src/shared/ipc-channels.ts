import type { ErrorBody } from './errors';
import type { OpName } from './contract/names';

/** IPC channel names, derived from operation names so no shell hand-writes one. */
export const opChannel = (name: OpName): string => `keyway:op:${name}`;
export const EVENT_CHANNEL = 'keyway:event';

/** The result shape crossing IPC: errors travel as data so their code and field survive. */
export type IpcResult = { ok: true; result: unknown } | { ok: false; error: ErrorBody };
