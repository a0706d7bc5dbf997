import type { McpCaller } from './types';

export interface ActivityEntry {
  at: string;
  tool: string;
  keyId: string;
  label: string;
  sessionId: string;
  outcome: 'ok' | 'error' | 'cancelled';
  detail?: string;
}

const RECENT = 50;

/**
 * What the vendor's MCP server has been doing, shared by all its sessions. It backs the resources
 * that change (activity, watched resource): each tool call changes them and subscribers are told.
 */
export class VendorActivity {
  readonly liveUris: string[];
  private readonly recent: ActivityEntry[] = [];
  private calls = 0;
  private readonly keyIds = new Set<string>();
  private readonly listeners = new Set<(uris: string[]) => void>();

  constructor(readonly vendor: string) {
    this.liveUris = [activityUri(vendor), WATCHED_URI];
  }

  record(
    tool: string,
    caller: McpCaller | undefined,
    sessionId: string | undefined,
    outcome: ActivityEntry['outcome'],
    detail?: string,
  ): void {
    this.calls++;
    const entry: ActivityEntry = {
      at: new Date().toISOString(),
      tool,
      keyId: caller?.keyId ?? '',
      label: caller?.label ?? '',
      sessionId: sessionId ?? '',
      outcome,
      ...(detail === undefined ? {} : { detail }),
    };
    if (caller) this.keyIds.add(caller.keyId);
    this.recent.push(entry);
    if (this.recent.length > RECENT) this.recent.shift();
    for (const listener of this.listeners) listener(this.liveUris);
  }

  get callCount(): number {
    return this.calls;
  }

  snapshot(): { vendor: string; calls: number; recent: ActivityEntry[] } {
    return { vendor: this.vendor, calls: this.calls, recent: [...this.recent] };
  }

  seenKeyIds(): string[] {
    return [...this.keyIds];
  }

  onChange(listener: (uris: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const WATCHED_URI = 'test://watched-resource';

export function activityUri(vendor: string): string {
  return `sandbox://${vendor.toLowerCase()}/activity`;
}
