import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStoreDocument } from '../../src/main/core/store/store-schema';
import type { StoreDocument } from '../../src/main/core/store/store-document';
import { controlToken, startServe, tempDataDir } from '../support/keyway-process';

const KILLS = 50;

/**
 * SIGKILL `keyway serve` while it is writing the store, over and over. Every restart must load
 * a whole document — the state before some write or after it — never a torn or empty file.
 */
describe('crash safety of the metadata store', () => {
  it(`survives ${KILLS} SIGKILLs in the middle of store writes`, async () => {
    const dataDir = await tempDataDir('keyway-crash-');
    let attempted = 0;
    let lastCount = 0;
    for (let round = 0; round < KILLS; round++) {
      // A successful start is itself the first check: it refuses a store it cannot read.
      const serve = await startServe({ dataDir });
      const headers = {
        Authorization: `Bearer ${controlToken(serve.ui)}`,
        'Content-Type': 'application/json',
      };
      const writes: Array<Promise<unknown>> = [];
      // Keep several writes in flight, then kill at a moment that varies from round to round.
      for (let i = 0; i < 6; i++) {
        const name = `a${round}-${i}`;
        attempted++;
        writes.push(
          fetch(`${serve.url}/api/op/account.add`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name, vendor: 'qyvo' }),
          }).catch(() => undefined),
        );
      }
      // Every fifth round lets its first write land before the kill, so writes land whatever the
      // machine's speed (a first request that loads its code lazily may take longer than the
      // early kills allow); the other rounds kill at a moment that varies from round to round.
      if (round % 5 === 4) await writes[0];
      await new Promise((r) => setTimeout(r, 2 + ((round * 7) % 23)));
      expect(await serve.stop('SIGKILL')).toBeNull();
      await Promise.allSettled(writes);

      const text = await readFile(join(dataDir, 'keyway-store.json'), 'utf8');
      const doc = JSON.parse(text) as StoreDocument;
      expect(checkStoreDocument(doc)).toBeNull();
      const names = doc.accounts.map((a) => a.name);
      // Writes are applied in order: what landed is a prefix of what was sent, nothing lost behind it.
      expect(new Set(names).size).toBe(names.length);
      expect(names.length).toBeGreaterThanOrEqual(lastCount);
      lastCount = names.length;
    }
    const final = await startServe({ dataDir });
    const res = await fetch(`${final.url}/api/op/account.list`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${controlToken(final.ui)}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    const accounts = ((await res.json()) as { result: unknown[] }).result;
    expect(accounts.length).toBe(lastCount);
    // Both happened: writes landed, and kills cut others short — so the kills did hit writes.
    expect(lastCount).toBeGreaterThan(0);
    expect(lastCount).toBeLessThan(attempted);
    expect(await final.stop()).toBe(0);
  }, 180_000);
});
