import type { ServerResponse } from 'node:http';

interface Entry {
  res: ServerResponse;
  keyId: string;
  method: string;
}

/** HTTP responses still open (requests in progress, SSE streams), by the key that made them. */
export class InFlightResponses {
  private readonly open = new Set<Entry>();

  track(res: ServerResponse, keyId: string, method: string): void {
    const entry = { res, keyId, method };
    this.open.add(entry);
    res.once('close', () => this.open.delete(entry));
  }

  /** Cuts the open responses made with `keyId` (all, or only those of the given methods). */
  cut(keyId: string, methods?: string[]): void {
    for (const entry of this.open) {
      if (entry.keyId !== keyId) continue;
      if (methods && !methods.includes(entry.method)) continue;
      entry.res.destroy();
    }
  }

  cutAll(): void {
    for (const entry of this.open) entry.res.destroy();
  }
}

export function revokedErrorFor(vendor: string): { code: number; message: string; data: unknown } {
  // In-flight calls fail the way a fresh request with the key would: unauthenticated (401).
  return {
    code: -32000,
    message: `Unauthenticated: the ${vendor} key that made this request was revoked`,
    data: { httpStatus: 401, reason: 'key_revoked' },
  };
}
