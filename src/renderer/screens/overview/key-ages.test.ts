import { describe, expect, it } from 'vitest';
import type { KeyView } from '../../../shared/contract';
import { ageRows, labelLanes, shownAgeRows } from './key-ages';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

function key(ref: string, createdDaysAgo: number, rotateEvery: number | null): KeyView {
  const [account = 'a', name = 'k'] = ref.split('/');
  const version = {
    id: `${ref}-v1`,
    vendorKeyId: null,
    fingerprint: 'abcd1234',
    last4: 'wxyz',
    created: new Date(NOW.getTime() - createdDaysAgo * DAY).toISOString(),
    expires: null,
    state: 'active' as const,
  };
  return {
    ref,
    account,
    name,
    vendor: 'quave',
    scopes: [],
    options: {},
    rotateEvery,
    createdAt: version.created,
    refusedAt: null,
    serviceAccount: true,
    version,
    versions: [version],
  };
}

describe('Key ages', () => {
  it('sorts by when each key is due, soonest first, not by name or share of the period', () => {
    const rows = ageRows(
      [
        key('a/alpha', 42, 90), // due in 48 days (47 % of its period)
        key('b/zulu', 1, 7), // due in 6 days (14 %)
        key('c/late', 10, 7), // overdue by 3 days
        key('d/none', 300, null), // no rotation date
      ],
      {},
      NOW,
    );
    expect(rows.map((r) => r.key.ref)).toEqual(['c/late', 'b/zulu', 'a/alpha', 'd/none']);
  });

  it('never hides a key that is due behind the first eight', () => {
    const fine = Array.from({ length: 10 }, (_, i) => key(`a/fine${i}`, 1, 365));
    const due = Array.from({ length: 10 }, (_, i) => key(`b/due${i}`, 29, 30));
    const shown = shownAgeRows(ageRows([...fine, ...due], {}, NOW));
    expect(shown).toHaveLength(10);
    expect(shown.every((r) => r.key.ref.startsWith('b/'))).toBe(true);
  });

  it('puts labels of near dates in separate lanes so they never overlap', () => {
    const lanes = labelLanes(
      [
        { x: 100, text: 'team-a/agent' },
        { x: 110, text: 'team-b/agent' },
        { x: 400, text: 'c/k' },
        { x: 679, text: 'team-c/agent' },
      ],
      680,
    );
    expect(lanes.map((l) => l.lane)).toEqual([0, 1, 0, 0]);
    expect(lanes[3]).toMatchObject({ anchor: 'end', x: 680 });
  });
});
