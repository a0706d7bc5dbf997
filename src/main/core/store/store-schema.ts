import { VENDOR_IDS } from '../../../shared/domain';

/**
 * Shape check on load: a document that parses as JSON but is not a Keyway store (hand-edited,
 * truncated by another tool) is refused rather than half-read. Unknown extra fields are kept.
 *
 * Written by hand rather than with zod: it runs on every start of `keyway serve`, and zod alone
 * is ~12 MiB of an idle instance's memory (issue 24). It checks only the persisted shape Keyway
 * itself writes; untrusted input (IPC, HTTP, CLI) is still validated by the contract's zod
 * schemas before it reaches the store.
 */

/** The first thing wrong, as `path: message` parts; null when the document has the shape. */
export interface StoreShapeIssue {
  path: (string | number)[];
  message: string;
}

type Check = (value: unknown, path: (string | number)[]) => StoreShapeIssue | null;

const issue = (path: (string | number)[], message: string): StoreShapeIssue => ({
  path,
  message,
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, path) =>
  typeof v === 'string' ? null : issue(path, `expected string, received ${typeName(v)}`);

const oneOf =
  (values: readonly string[]): Check =>
  (v, path) =>
    typeof v === 'string' && values.includes(v)
      ? null
      : issue(path, `expected one of ${values.map((x) => `"${x}"`).join('|')}`);

const tokenHash: Check = (v, path) =>
  str(v, path) ?? (/^[0-9a-f]{64}$/.test(v as string) ? null : issue(path, 'not a SHA-256 hex'));

const num: Check = (v, path) =>
  typeof v === 'number' && Number.isFinite(v)
    ? null
    : issue(path, `expected number, received ${typeName(v)}`);

/** An object with at least these fields; others are kept as they are. */
const object =
  (fields: Record<string, Check>): Check =>
  (v, path) => {
    if (!isRecord(v)) return issue(path, `expected object, received ${typeName(v)}`);
    for (const [name, check] of Object.entries(fields)) {
      const found = check(v[name], [...path, name]);
      if (found) return found;
    }
    return null;
  };

const array =
  (item: Check): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return issue(path, `expected array, received ${typeName(v)}`);
    for (let i = 0; i < v.length; i++) {
      const found = item(v[i], [...path, i]);
      if (found) return found;
    }
    return null;
  };

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return v === undefined ? 'undefined' : typeof v;
}

const version = object({
  id: str,
  fingerprint: str,
  last4: str,
  created: str,
  state: oneOf(['active', 'retiring', 'revoked', 'failed']),
});

const storeDocument = object({
  version: (v, path) => (v === 1 ? null : issue(path, 'expected 1')),
  accounts: array(object({ name: str, vendor: oneOf(VENDOR_IDS), apiUrl: str, mcpUrl: str })),
  keys: array(
    object({ ref: str, account: str, name: str, scopes: array(str), versions: array(version) }),
  ),
  connections: array(object({ slug: str, key: str, upstream: str })),
  clients: array(object({ name: str, connection: str, tokenHash })),
  rotations: array(object({ id: str, key: str, step: str })),
  settings: object({ proxyPort: num }),
});

/** Null when `doc` has the shape of a Keyway store document, else the first issue found. */
export function checkStoreDocument(doc: unknown): StoreShapeIssue | null {
  return storeDocument(doc, []);
}
