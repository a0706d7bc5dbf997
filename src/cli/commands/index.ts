import type { Command } from '../command';
import { accountAdd, accountLs } from './account-commands';
import { accountLogin, accountLogout } from './oauth-commands';
import { accountRotateCredential } from './client-credentials-commands';
import { audit } from './audit-command';
import { clientAdd, clientLs, clientRevoke } from './client-commands';
import { connectionAdd, connectionLs } from './connection-commands';
import { keyAdd, keyCreate, keyLs, keyRemove, keyRevoke, keyRotate } from './key-commands';
import { serve } from './serve-command';
import { proxyPause, proxyResume } from './proxy-commands';
import { clientConfig } from './client-config-command';
import { provision } from './provision-command';
import { exportConfig, importConfig } from './export-import-commands';
import { accountService } from '../provision/service-account-command';
import { run } from './run-command';
import { adopt } from './adopt-command';

/** Every command, in the order `keyway --help` lists them (CLI.md's order). */
export const COMMANDS: Command[] = [
  serve,
  accountAdd,
  accountLs,
  accountLogin,
  accountLogout,
  accountRotateCredential,
  accountService,
  keyCreate,
  keyAdd,
  keyLs,
  keyRotate,
  keyRevoke,
  keyRemove,
  connectionAdd,
  connectionLs,
  clientAdd,
  clientLs,
  clientRevoke,
  clientConfig,
  run,
  adopt,
  provision,
  exportConfig,
  importConfig,
  proxyPause,
  proxyResume,
  audit,
];
