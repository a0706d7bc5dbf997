/** Field schemas: each input field's rule, written once and shared by every operation. */
import { z } from 'zod';
import type { McpTransport } from '../domain';
import { VENDOR_IDS } from '../domain';

/** Phantom marker: carries an output type through `typeof operations` without a runtime value. */
export const returns = <T>(): T => undefined as T;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const accountName = z
  .string()
  .regex(
    NAME,
    'an account name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
export const keyRefSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a key is named ACCOUNT/KEY, e.g. work/claude',
  );
export const slugSchema = z
  .string()
  .regex(
    SLUG,
    'a connection slug is 1–64 lowercase letters, digits or "-", starting with a letter or digit',
  );
export const clientName = z
  .string()
  .regex(
    NAME,
    'a client name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
export const httpUrl = z
  .string()
  .refine((s) => /^https?:\/\/[^\s/]+/.test(s) && URL.canParse(s), 'must be an http(s) URL');
/** Secrets are never echoed back in an error, so their schema says only what is wrong. */
export const secretValue = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'is longer than 4096 characters');
export const scopes = z.array(z.string().min(1).max(200)).max(64);
export const rotateEvery = z.number().int().min(1, 'is at least 1 day').max(3650).nullable();

export const vendorSchema = z.enum(VENDOR_IDS);
/** A custom vendor's header and the text before the key in it. */
export const authSchemeSchema = z
  .object({
    header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'),
    prefix: z.string().max(32),
  })
  .strict();
/** Operations that take nothing still refuse unknown fields. */
export const noInput = z.object({}).strict();
export const serviceAccountInfoSchema = z
  .object({
    role: z.string().max(100).optional(),
    projects: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict();
export const transportSchema = z.enum(['streamable-http', 'sse'] satisfies McpTransport[]);
