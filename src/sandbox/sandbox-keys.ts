import { createHash, randomBytes } from 'node:crypto';

export type SandboxKeyKind = 'user-token' | 'mcp-key';

export interface SandboxKey {
  id: string;
  name: string;
  scopes: string[];
  user: string;
  workspace: string | null;
  kind: SandboxKeyKind;
  createdAt: string;
  enabled: boolean;
  revoked: boolean;
  /** Bumped when the secret is regenerated; the MCP side knows a key by id and generation. */
  generation: number;
  options: { securityLevel?: string; sessionDuration?: number };
  secretHash: string;
  /** Kept only where the vendor can show a key again (Quave reveal, CLI tokens); else null. */
  secret: string | null;
}

type NewSandboxKey = Omit<
  SandboxKey,
  'id' | 'createdAt' | 'enabled' | 'revoked' | 'generation' | 'secretHash' | 'secret'
> & { id?: string };

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * One vendor's keys. Secrets are held as hashes (the vendors in the documents "store it hashed")
 * unless the vendor can reveal them. Every way a key stops working goes through `onDead`, so the
 * MCP side ends in-flight requests made with it at once.
 */
export class SandboxKeyStore {
  private readonly keys = new Map<string, SandboxKey>();
  private readonly byHash = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly opts: {
      keepPlaintext: (kind: SandboxKeyKind) => boolean;
      onDead: (credentialId: string) => void;
    },
  ) {}

  add(fields: NewSandboxKey, secret: string): SandboxKey {
    const id = fields.id ?? `key_${++this.seq}_${randomHex(4)}`;
    const key: SandboxKey = {
      ...fields,
      id,
      createdAt: new Date().toISOString(),
      enabled: true,
      revoked: false,
      generation: 1,
      secretHash: hashSecret(secret),
      secret: this.opts.keepPlaintext(fields.kind) ? secret : null,
    };
    this.keys.set(id, key);
    this.byHash.set(key.secretHash, id);
    return key;
  }

  /** The live, enabled key this secret belongs to. */
  bySecret(secret: string | undefined): SandboxKey | undefined {
    if (!secret) return undefined;
    const id = this.byHash.get(hashSecret(secret));
    const key = id === undefined ? undefined : this.keys.get(id);
    return key && !key.revoked && key.enabled ? key : undefined;
  }

  byId(id: string): SandboxKey | undefined {
    const key = this.keys.get(id);
    return key && !key.revoked ? key : undefined;
  }

  all(): SandboxKey[] {
    return [...this.keys.values()];
  }

  live(): SandboxKey[] {
    return this.all().filter((k) => !k.revoked);
  }

  isLive(secret: string): boolean {
    return this.bySecret(secret) !== undefined;
  }

  revoke(idOrSecret: string): boolean {
    const key = this.byId(idOrSecret) ?? this.bySecret(idOrSecret);
    if (!key) return false;
    key.revoked = true;
    this.byHash.delete(key.secretHash);
    this.opts.onDead(credentialId(key));
    return true;
  }

  setEnabled(key: SandboxKey, enabled: boolean): void {
    key.enabled = enabled;
    if (!enabled) this.opts.onDead(credentialId(key));
  }

  /** A new secret for the same key; the old one stops working at once. */
  replaceSecret(key: SandboxKey, secret: string): void {
    this.opts.onDead(credentialId(key));
    this.byHash.delete(key.secretHash);
    key.generation++;
    key.secretHash = hashSecret(secret);
    key.secret = this.opts.keepPlaintext(key.kind) ? secret : null;
    this.byHash.set(key.secretHash, key.id);
  }
}

/** How the MCP endpoint knows a key: its id and the generation of its secret. */
export function credentialId(key: SandboxKey): string {
  return `${key.id}#${key.generation}`;
}
