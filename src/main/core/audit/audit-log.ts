import { appendFile, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '../../../shared/domain';

const AUDIT_FILE = 'audit.jsonl';

interface AuditQuery {
  since?: string;
  key?: string;
  client?: string;
  event?: string;
  limit: number;
}

/**
 * Append-only JSONL. One line per entry, written with O_APPEND so concurrent appends never
 * interleave within a line; a torn last line (a crash mid-write) is skipped when read.
 */
export class AuditLog {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, AUDIT_FILE);
  }

  async append(entry: AuditEntry): Promise<void> {
    await appendFile(this.path, JSON.stringify(entry) + '\n', { mode: 0o600, flag: 'a' });
  }

  /** Makes sure the log exists with owner-only permissions. */
  async init(): Promise<void> {
    const handle = await open(this.path, 'a', 0o600);
    await handle.close();
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const since = q.since ? Date.parse(q.since) : undefined;
    const out: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: AuditEntry;
      try {
        entry = JSON.parse(line) as AuditEntry;
      } catch {
        continue;
      }
      if (since !== undefined && Date.parse(entry.at) < since) continue;
      if (q.key && entry.key !== q.key) continue;
      if (q.client && entry.client !== q.client) continue;
      if (q.event && entry.event !== q.event && !entry.event.startsWith(q.event + '.')) continue;
      out.push(entry);
    }
    return out.slice(-q.limit);
  }
}
