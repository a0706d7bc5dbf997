/** Agents' service accounts at OAuth servers: the client credentials grant (issue 25). */
import { z } from 'zod';
import type { Account } from '../domain';
import { returns, accountName, httpUrl, secretValue, scopes } from './fields';

/** A PEM private key: an RSA 4096 key in PKCS#8 is about 3,300 characters. */
const pemValue = z
  .string()
  .min(1, 'must not be empty')
  .max(16_384, 'is longer than 16384 characters');

/** The client secret or the PEM private key: exactly one. */
const credential = {
  clientSecret: secretValue.optional(),
  privateKey: pemValue.optional(),
};
const oneCredential = (v: { clientSecret?: string; privateKey?: string }) =>
  (v.clientSecret === undefined) !== (v.privateKey === undefined);
const oneCredentialError = {
  message: 'give the client secret or the private key (exactly one)',
  path: ['clientSecret'],
};

export const clientCredentialsOps = {
  'account.addClientCredentials': {
    summary:
      'Add a service account at an OAuth-protected MCP server (client credentials grant); the secret or key is checked by getting a first token, then kept in the OS keychain',
    input: z
      .object({
        name: accountName,
        mcpUrl: httpUrl,
        clientId: z.string().min(1).max(2048),
        ...credential,
        scopes: scopes.default([]),
        serviceAccount: z.boolean().default(true),
      })
      .strict()
      .refine(oneCredential, oneCredentialError),
    output: returns<Account>(),
  },
  'account.fetchToken': {
    summary:
      'Get a new access token for a service account now (what `account login` does for one: no browser)',
    input: z.object({ name: accountName }).strict(),
    output: returns<Account>(),
  },
  'account.rotateClientCredential': {
    summary:
      'Guided rotation of a service account’s client secret or key: the new one is checked by getting a token, then swapped in and the old one forgotten',
    input: z
      .object({ name: accountName, ...credential })
      .strict()
      .refine(oneCredential, oneCredentialError),
    output: returns<{ account: Account; previous: 'client-secret' | 'private-key' }>(),
  },
} as const;
