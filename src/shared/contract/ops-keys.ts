/** Keys, their versions, and rotations. */
import { z } from 'zod';
import {
  returns,
  keyRefSchema,
  secretValue,
  scopes,
  rotateEvery,
  vendorSchema,
  noInput,
} from './fields';
import type { KeyView, KeyChange, FormatReport, KeyRevoked, RotationView } from './views';

export const keyOps = {
  'key.list': {
    summary: 'List keys with their current version (never the secret)',
    input: noInput,
    output: returns<KeyView[]>(),
  },
  'key.add': {
    summary: 'Store a key made in the vendor dashboard',
    input: z
      .object({
        ref: keyRefSchema,
        secret: secretValue,
        scopes: scopes.optional(),
        // Omitted: the default period from Settings; null: never rotated automatically.
        rotateEvery: rotateEvery.optional(),
        expires: z.iso.datetime({ offset: true }).nullable().default(null),
      })
      .strict(),
    output: returns<KeyChange>(),
  },
  'key.create': {
    summary: 'Mint a key at a vendor with a key API (Quave) and store it in the keychain',
    input: z
      .object({
        ref: keyRefSchema,
        scopes: scopes.default([]),
        securityLevel: z.string().min(1).max(32).optional(),
        sessionDuration: z.number().int().positive().max(31_536_000).optional(),
        // Omitted: the default period from Settings; null: never rotated automatically.
        rotateEvery: rotateEvery.optional(),
      })
      .strict(),
    output: returns<KeyChange>(),
  },
  'key.checkFormat': {
    summary: "Check a pasted key against the vendor's documented format (as you type)",
    input: z.object({ vendor: vendorSchema, secret: z.string().max(4096) }).strict(),
    output: returns<FormatReport>(),
  },
  'key.rotate': {
    summary: 'Rotate a key: mint (or take the pasted key), verify, swap, drain, revoke, forget',
    input: z.object({ ref: keyRefSchema, secret: secretValue.optional() }).strict(),
    output: returns<KeyChange>(),
  },
  'key.setPolicy': {
    summary: 'Set how often a key is rotated (days; null = never)',
    input: z.object({ ref: keyRefSchema, rotateEvery }).strict(),
    output: returns<KeyView>(),
  },
  'key.copy': {
    summary:
      'Copy a key to the clipboard from the main process; cleared after 30 s (desktop app only)',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<{ copied: boolean; clearAfterSeconds: number }>(),
  },
  'key.revoke': {
    summary:
      'Revoke a key at the vendor (or confirm a dashboard revocation), then forget its secret',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<KeyRevoked>(),
  },
  'key.remove': {
    summary: 'Forget a key locally (does not revoke it at the vendor)',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<{ removed: string }>(),
  },
  'rotation.list': {
    summary: 'Rotations in progress or waiting on the user or on a retry',
    input: noInput,
    output: returns<RotationView[]>(),
  },
  'rotation.confirmRevoked': {
    summary: 'Guided vendors: check that the vendor now refuses the old key, then forget it',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<RotationView | null>(),
  },
  'rotation.retryRevoke': {
    summary: 'Retry revoking the old key of a rotation now',
    input: z.object({ ref: keyRefSchema }).strict(),
    output: returns<RotationView | null>(),
  },
} as const;
