import type { VendorId } from '../../../shared/domain';
import type { AuditTarget } from '../audit/audit-record';
import type { SecretStore } from '../keychain/secret-store';
import type { VersionSecrets } from '../keychain/version-secrets';
import type { Logger } from '../log/logger';
import type { MetadataStore } from '../store/metadata-store';
import type { VendorAdapter } from '../vendors/vendor-adapter';

/** Something that holds key versions in use and lets go of them on request (proxy, `keyway run`). */
export interface VersionHolder {
  /** Resolves when nothing that started with this key version is in flight (or at the timeout). */
  drain(versionId: string, timeoutMs: number): Promise<{ drained: boolean; inFlight: number }>;
}

/** What a rotation asks of the proxy (the service's `ProxyPort` is a superset). */
export interface RotationProxyPort extends VersionHolder {
  /**
   * Just before the swap: lets the proxy open, with the new key, the vendor sessions it will need
   * right after (vendors that bind sessions to a key). Never rejects; the engine bounds the wait.
   */
  prepare(keyRef: string, versionId: string, secret: string): Promise<void>;
}

/**
 * The parts of the core a key change works with. The service's context is a superset, so the
 * rotation layer never imports the service (layers point one way: rotation ← service).
 */
export interface RotationContext extends AuditTarget {
  store: MetadataStore;
  secrets: SecretStore;
  /** The in-memory copies of key-version secrets the proxy uses (primed, forgotten). */
  versions: VersionSecrets;
  vendor: (id: VendorId) => VendorAdapter;
  /** This data directory's id; names its instance-specific keychain entries. */
  secretScope: string;
  log: Logger;
}
