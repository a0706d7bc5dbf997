import type { Command } from '../command';
import { accountAdd, accountLs } from './account-commands';
import { audit } from './audit-command';
import { clientAdd, clientLs, clientRevoke } from './client-commands';
import { connectionAdd, connectionLs } from './connection-commands';
import { keyAdd, keyLs } from './key-commands';
import { serve } from './serve-command';

/** Every command, in the order `keyway --help` lists them (CLI.md's order). */
export const COMMANDS: Command[] = [
  serve,
  accountAdd,
  accountLs,
  keyAdd,
  keyLs,
  connectionAdd,
  connectionLs,
  clientAdd,
  clientLs,
  clientRevoke,
  audit,
];
