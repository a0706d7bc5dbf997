/** OAuth-protected MCP servers: Keyway is the OAuth client of an account (issue 11). */
import { z } from 'zod';
import type { Account } from '../domain';
import { returns, accountName, httpUrl, secretValue, scopes } from './fields';

export interface LoginStarted {
  /** Opaque id of this login attempt (not the OAuth `state`), for `account.awaitLogin`. */
  loginId: string;
  /** The authorization URL the user's browser opens. */
  authorize: string;
  /** True when the service opened it itself (`openBrowser`). */
  opened: boolean;
}

export type LoginOutcome =
  | { done: false }
  | { done: true; ok: true; account: Account }
  | { done: true; ok: false; error: string };

export const oauthOps = {
  'account.addOAuth': {
    summary:
      'Add an account at an MCP server protected by OAuth 2.1; its key NAME/oauth gets a version per access token',
    input: z
      .object({
        name: accountName,
        mcpUrl: httpUrl,
        clientId: z.string().min(1).max(2048).optional(),
        clientSecret: secretValue.optional(),
        scopes: scopes.default([]),
        serviceAccount: z.boolean().default(false),
      })
      .strict(),
    output: returns<Account>(),
  },
  'account.login': {
    summary:
      'Start an OAuth login (discovery, registration, PKCE); the browser comes back to Keyway’s loopback callback',
    input: z.object({ name: accountName, openBrowser: z.boolean().default(false) }).strict(),
    output: returns<LoginStarted>(),
  },
  'account.awaitLogin': {
    summary: 'Wait (bounded) for a login started with account.login to finish',
    input: z
      .object({
        name: accountName,
        loginId: z.string().min(1).max(100),
        waitMs: z.number().int().min(0).max(100_000).default(90_000),
      })
      .strict(),
    output: returns<LoginOutcome>(),
  },
  'account.logout': {
    summary: 'Revoke the OAuth tokens where the server can, then forget every secret of the login',
    input: z.object({ name: accountName }).strict(),
    output: returns<{ account: Account; revokedAtServer: boolean }>(),
  },
} as const;
