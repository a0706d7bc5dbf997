import { z } from 'zod';
import { VENDOR_IDS } from '../../../shared/domain';

/**
 * Shape check on load: a document that parses as JSON but is not a Keyway store (hand-edited,
 * truncated by another tool) is refused rather than half-read. Unknown extra fields are kept.
 */
const version = z.looseObject({
  id: z.string(),
  fingerprint: z.string(),
  last4: z.string(),
  created: z.string(),
  state: z.enum(['active', 'retiring', 'revoked', 'failed']),
});

export const storeDocumentSchema = z.looseObject({
  version: z.literal(1),
  accounts: z.array(
    z.looseObject({
      name: z.string(),
      vendor: z.enum(VENDOR_IDS),
      apiUrl: z.string(),
      mcpUrl: z.string(),
    }),
  ),
  keys: z.array(
    z.looseObject({
      ref: z.string(),
      account: z.string(),
      name: z.string(),
      scopes: z.array(z.string()),
      versions: z.array(version),
    }),
  ),
  connections: z.array(z.looseObject({ slug: z.string(), key: z.string(), upstream: z.string() })),
  clients: z.array(
    z.looseObject({
      name: z.string(),
      connection: z.string(),
      tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  rotations: z.array(z.looseObject({ id: z.string(), key: z.string(), step: z.string() })),
  settings: z.looseObject({ proxyPort: z.number() }),
});
