import type { ClientView } from '../../../../shared/contract';
import type { StoredClient } from '../../store/store-document';

/** A client as the shells show it: never its token's hash. */
export function clientView(c: StoredClient): ClientView {
  const { tokenHash: _hash, ...rest } = c;
  return rest;
}
