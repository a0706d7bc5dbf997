/**
 * The operations table: every operation the UI, tray, CLI and web UI can perform, with the zod
 * schema its input must pass before any handler runs and its output type. The HTTP control API,
 * the IPC handlers, the preload bridge and the CLI's client are all derived from it. Add an
 * operation in its noun's file (ops-*.ts) and its name in names.ts; the compiler checks both.
 */
import type { z } from 'zod';
import type { OpName, Same } from './names';
import { accountOps } from './ops-accounts';
import { connectionOps } from './ops-connections';
import { keyOps } from './ops-keys';
import { serviceOps } from './ops-service';
import { oauthOps } from './ops-oauth';
import { clientCredentialsOps } from './ops-client-credentials';
import { runOps } from './ops-runs';
import { trafficOps } from './ops-traffic';

interface OpSpec {
  summary: string;
  input: z.ZodType;
  output: unknown;
}

export const operations = {
  ...serviceOps,
  ...accountOps,
  ...keyOps,
  ...connectionOps,
  ...oauthOps,
  ...clientCredentialsOps,
  ...runOps,
  ...trafficOps,
} as const satisfies Record<OpName, OpSpec>;

export type Operations = typeof operations;
/** Compile-time check that the table has exactly the operations `OP_NAMES` lists. */
export const opNamesMatch: Same<OpName, keyof Operations> = true;

/** What a caller sends (defaults may be omitted). */
export type OpInput<N extends OpName> = z.input<Operations[N]['input']>;
/** What a handler receives, after validation and defaults. */
export type OpArgs<N extends OpName> = z.output<Operations[N]['input']>;
export type OpOutput<N extends OpName> = Operations[N]['output'];

/** The API every shell offers: one async method per operation. */
export type KeywayApi = { [N in OpName]: (input: OpInput<N>) => Promise<OpOutput<N>> };
