import type { VendorId } from '../../../shared/domain';
import type { AuditTarget } from '../audit/audit-record';
import type { SecretStore } from '../keychain/secret-store';
import type { MetadataStore } from '../store/metadata-store';
import type { VendorAdapter } from '../vendors/vendor-adapter';

/** What a rotation asks of the proxy; the composition root wires these (absent in tests). */
export interface RotationHooks {
  /** Resolves when no proxied request that started with this key version is in flight. */
  drain?: (versionId: string, timeoutMs: number) => Promise<{ drained: boolean; inFlight: number }>;
  /** The key material of a version changed (forgotten, replaced): drop any in-memory copy. */
  versionForgotten?: (versionId: string) => void;
  /** A rotation hands the proxy the new secret before the swap: no keychain read on its hot path. */
  versionReady?: (versionId: string, secret: string) => void;
  /**
   * Just before the swap: lets the proxy open, with the new key, the vendor sessions it will need
   * right after (vendors that bind sessions to a key). Never rejects; the engine bounds the wait.
   */
  prepareSwap?: (keyRef: string, versionId: string, secret: string) => Promise<void>;
}

/** Something besides the proxy that holds key versions in use and lets go of them on request. */
export interface VersionHolder {
  drain(versionId: string, timeoutMs: number): Promise<{ drained: boolean; inFlight: number }>;
}

/**
 * The parts of the core a key change works with. The service's context is a superset, so the
 * rotation layer never imports the service (layers point one way: rotation ← service).
 */
export interface RotationContext extends AuditTarget {
  store: MetadataStore;
  secrets: SecretStore;
  hooks: RotationHooks;
  vendor: (id: VendorId) => VendorAdapter;
  /** This data directory's id; names its instance-specific keychain entries. */
  secretScope: string;
}
