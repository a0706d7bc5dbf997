/** Accounts at vendors and their management credentials. */
import { z } from 'zod';
import type { Account } from '../domain';
import {
  returns,
  accountName,
  httpUrl,
  secretValue,
  scopes,
  vendorSchema,
  authSchemeSchema,
  noInput,
  serviceAccountInfoSchema,
} from './fields';

export const accountOps = {
  'account.add': {
    summary: 'Add an account at a vendor; its management credential goes to the keychain',
    input: z
      .object({
        name: accountName,
        vendor: vendorSchema,
        apiUrl: httpUrl.optional(),
        mcpUrl: httpUrl.optional(),
        serviceAccount: z.boolean().default(false),
        serviceAccountInfo: serviceAccountInfoSchema.optional(),
        credential: secretValue.optional(),
        credentialScopes: scopes.nullable().default(null),
        auth: authSchemeSchema.optional(),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.update': {
    summary:
      "Change an account's settings (URLs, service-account facts); credentials are not changed here",
    input: z
      .object({
        name: accountName,
        apiUrl: httpUrl.optional(),
        mcpUrl: httpUrl.optional(),
        serviceAccount: z.boolean().optional(),
        serviceAccountInfo: serviceAccountInfoSchema.optional(),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.setCredential': {
    summary: "Add or replace an account's management credential (kept in the OS keychain)",
    input: z
      .object({
        name: accountName,
        credential: secretValue,
        credentialScopes: scopes.nullable().default(null),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.list': {
    summary: 'List accounts',
    input: noInput,
    output: returns<Account[]>(),
  },
  'account.remove': {
    summary:
      'Remove an account that has no keys; forgets its management credential. force: also removes the connections using its keys and forgets the keys locally (they stay live at the vendor)',
    input: z.object({ name: accountName, force: z.boolean().default(false) }).strict(),
    output: returns<{ removed: string; connections: string[]; keys: string[] }>(),
  },
} as const;
