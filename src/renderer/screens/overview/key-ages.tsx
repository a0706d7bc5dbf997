import type { KeyView } from '../../../shared/contract';
import { ageDays, relativeTime, timeUntil } from '../../lib/format';
import { rotationDue, type RotationDue } from '../../lib/key-facts';

const SHOWN = 8;
const DAY = 86_400_000;

interface AgeRow {
  key: KeyView;
  age: number;
  /** Days in the period (from the policy, or up to the service's due date). */
  period: number | null;
  due: RotationDue;
}

export function ageRows(keys: KeyView[], due: Record<string, string>, now: Date): AgeRow[] {
  const rows: AgeRow[] = [];
  for (const key of keys) {
    const v = key.version;
    if (!v) continue;
    const d = rotationDue(key, now, due[key.ref]);
    const period =
      key.rotateEvery ??
      (d.nextAt
        ? Math.max(1, Math.round((Date.parse(d.nextAt) - Date.parse(v.created)) / DAY))
        : null);
    rows.push({ key, age: ageDays(v.created, now), period, due: d });
  }
  // Most urgent first: the soonest due (the longest overdue) first, then keys with no rotation
  // date, oldest first. By date, not by share of the period: a 7-day key due in 6 days comes
  // before a 90-day one due in 48.
  const at = (r: AgeRow) => (r.due.nextAt ? Date.parse(r.due.nextAt) : Infinity);
  return rows.sort((a, b) => at(a) - at(b) || b.age - a.age || a.key.ref.localeCompare(b.key.ref));
}

/** The rows shown: the first eight, and every key due soon or overdue however many there are. */
export function shownAgeRows(rows: AgeRow[]): AgeRow[] {
  const due = rows.filter((r) => r.due.state === 'soon' || r.due.state === 'overdue').length;
  return rows.slice(0, Math.max(SHOWN, due));
}

/**
 * Each key's age as a bar against its rotation period (most urgent first), then the next
 * rotations on a timeline. The bars and dots are decorative: each row says the same in words.
 */
export function KeyAges(props: {
  keys: KeyView[];
  due: Record<string, string>;
  now: Date;
  onShow: (ref: string) => void;
}) {
  const rows = ageRows(props.keys, props.due, props.now);
  if (rows.length === 0) return <p className="muted">No active keys yet.</p>;
  const shown = shownAgeRows(rows);
  const next = rows.filter((r) => r.due.nextAt).slice(0, 6);
  return (
    <div className="overview-keys">
      <ul className="age-list" aria-label="Key ages against their rotation periods">
        {shown.map((r) => (
          <li key={r.key.ref} className={`age-row due-${r.due.state}`}>
            <button type="button" className="link" onClick={() => props.onShow(r.key.ref)}>
              {r.key.ref}
            </button>
            <AgeBar row={r} />
            <span className="age-text">{ageText(r, props.now)}</span>
          </li>
        ))}
      </ul>
      {rows.length > shown.length ? (
        <p className="muted">
          {rows.length - shown.length} more key{rows.length - shown.length === 1 ? '' : 's'}, none
          due within its warning window, on the Keys screen.
        </p>
      ) : null}
      <h4 className="sub-head">Next rotations</h4>
      {next.length === 0 ? (
        <p className="muted">No key has a rotation period; set one from a key&apos;s menu.</p>
      ) : (
        <>
          <Timeline rows={next} now={props.now} />
          <ol className="next-rotations">
            {next.map((r) => (
              <li key={r.key.ref}>
                <span className="mono">{r.key.ref}</span>{' '}
                <span className={`due due-${r.due.state}`}>
                  {r.due.state === 'overdue'
                    ? `overdue since ${relativeTime(r.due.nextAt, props.now).replace(' ago', '')}`
                    : timeUntil(r.due.nextAt ?? '', props.now)}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function AgeBar({ row }: { row: AgeRow }) {
  const share = row.period ? Math.min(1, row.age / row.period) : 0;
  return (
    <svg
      viewBox="0 0 100 8"
      className="age-bar"
      aria-hidden="true"
      focusable="false"
      preserveAspectRatio="none"
    >
      <rect x={0} y={0} width={100} height={8} rx={2} className="age-track" />
      {row.period ? (
        <rect
          x={0}
          y={0}
          width={Math.max(2, share * 100)}
          height={8}
          rx={2}
          className={`age-fill fill-${row.due.state}`}
        />
      ) : null}
    </svg>
  );
}

function ageText(r: AgeRow, now: Date): string {
  const age = `${r.age} day${r.age === 1 ? '' : 's'} old`;
  if (!r.period) return `${age}, no rotation period`;
  if (r.due.state === 'overdue')
    return `${age} of ${r.period}: overdue ${relativeTime(r.due.nextAt, now)}`;
  return `${age} of ${r.period}`;
}

const LABEL_CHAR_PX = 6.6;
const LANE_PX = 13;

/**
 * Puts each label (`account/key`, centred under its dot where it fits) in the first lane where
 * it overlaps no earlier label: near dates never print on top of each other.
 */
export function labelLanes(
  labels: Array<{ x: number; text: string }>,
  width: number,
): Array<{ x: number; anchor: 'start' | 'middle' | 'end'; lane: number }> {
  const laneEnds: number[] = [];
  return labels.map(({ x, text }) => {
    const w = text.length * LABEL_CHAR_PX;
    const left = Math.max(0, Math.min(width - w, x - w / 2));
    let lane = laneEnds.findIndex((end) => end + 8 <= left);
    if (lane === -1) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = left + w;
    const anchor = left === 0 ? 'start' : left === width - w ? 'end' : 'middle';
    return { x: anchor === 'start' ? 0 : anchor === 'end' ? width : x, anchor, lane };
  });
}

function Timeline(props: { rows: AgeRow[]; now: Date }) {
  const t0 = props.now.getTime();
  const last = Math.max(...props.rows.map((r) => Date.parse(r.due.nextAt ?? '')));
  const span = Math.max(7 * DAY, last - t0);
  const x = (at: number) => 10 + Math.max(0, Math.min(1, (at - t0) / span)) * 680;
  // Sorted by date already (ageRows), so lanes fill left to right.
  const placed = labelLanes(
    props.rows.map((r) => ({ x: x(Date.parse(r.due.nextAt ?? '')) - 10, text: r.key.ref })),
    680,
  );
  const lanes = Math.max(1, ...placed.map((p) => p.lane + 1));
  return (
    <svg
      viewBox={`0 0 700 ${24 + lanes * LANE_PX}`}
      className="timeline"
      aria-hidden="true"
      focusable="false"
    >
      <line x1={10} y1={14} x2={690} y2={14} className="chart-axis" />
      {props.rows.map((r, i) => {
        const at = Date.parse(r.due.nextAt ?? '');
        const p = placed[i]!;
        return (
          <g key={r.key.ref}>
            <circle cx={x(at)} cy={14} r={5} className={`dot-${r.due.state}`} />
            <text
              x={p.x + 10}
              y={32 + p.lane * LANE_PX}
              className="chart-label"
              textAnchor={p.anchor}
            >
              {r.key.ref}
            </text>
          </g>
        );
      })}
      <text x={10} y={8} className="chart-label">
        today
      </text>
      <text x={690} y={8} className="chart-label" textAnchor="end">
        in {Math.round(span / DAY)} days
      </text>
    </svg>
  );
}
