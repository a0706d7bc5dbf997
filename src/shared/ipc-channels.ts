import type { OpName } from './contract';

/** IPC channel names, derived from operation names so no shell hand-writes one. */
export const opChannel = (name: OpName): string => `keyway:op:${name}`;
export const EVENT_CHANNEL = 'keyway:event';
export const COPY_CHANNEL = 'keyway:clipboard';
