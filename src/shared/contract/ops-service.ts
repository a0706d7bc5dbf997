/** The service as a whole: status, settings, vendors, scopes, audit. */
import { z } from 'zod';
import type { AuditEntry } from '../domain';
import {
  returns,
  accountName,
  keyRefSchema,
  clientName,
  scopes,
  rotateEvery,
  noInput,
} from './fields';
import type { VendorInfo, ScopeReport, SettingsView, ServiceStatus } from './views';

export const serviceOps = {
  status: {
    summary: 'Service status: data directory, proxy, keychain',
    input: noInput,
    output: returns<ServiceStatus>(),
  },
  'vendor.list': {
    summary: 'The vendors Keyway serves: scopes with descriptions, lifecycle, dashboard steps',
    input: noInput,
    output: returns<VendorInfo[]>(),
  },
  'scope.check': {
    summary: "Before a call: which scopes this account's credential can grant, and why not",
    input: z.object({ account: accountName, scopes }).strict(),
    output: returns<ScopeReport>(),
  },
  'settings.get': {
    summary: 'Settings: proxy port, default rotation period, launch at login',
    input: noInput,
    output: returns<SettingsView>(),
  },
  'settings.update': {
    summary:
      'Change settings (the proxy port applies at the next start, unless it is given at start: --port, KEYWAY_PORT)',
    input: z
      .object({
        proxyPort: z
          .number()
          .int()
          .min(1024, 'must be 1024 or above: lower ports need administrator rights')
          .max(65535, 'must be 65535 or below')
          .optional(),
        defaultRotateEvery: rotateEvery.optional(),
        launchAtLogin: z.boolean().optional(),
      })
      .strict(),
    output: returns<SettingsView>(),
  },
  'audit.list': {
    summary: 'Read the audit log, newest last',
    input: z
      .object({
        since: z.iso.datetime({ offset: true }).optional(),
        key: keyRefSchema.optional(),
        client: clientName.optional(),
        event: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    output: returns<AuditEntry[]>(),
  },
} as const;
