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
  // Closest to (or furthest past) its rotation first; keys without a policy last, oldest first.
  const share = (r: AgeRow) => (r.period ? r.age / r.period : -1 / (r.age + 1));
  return rows.sort((a, b) => share(b) - share(a) || a.key.ref.localeCompare(b.key.ref));
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
  const shown = rows.slice(0, SHOWN);
  const next = rows
    .filter((r) => r.due.nextAt)
    .sort((a, b) => Date.parse(a.due.nextAt ?? '') - Date.parse(b.due.nextAt ?? ''))
    .slice(0, 6);
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
      {rows.length > SHOWN ? (
        <p className="muted">
          {rows.length - SHOWN} more key{rows.length - SHOWN === 1 ? '' : 's'} on the Keys screen.
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

function Timeline(props: { rows: AgeRow[]; now: Date }) {
  const t0 = props.now.getTime();
  const last = Math.max(...props.rows.map((r) => Date.parse(r.due.nextAt ?? '')));
  const span = Math.max(7 * DAY, last - t0);
  const x = (at: number) => 10 + Math.max(0, Math.min(1, (at - t0) / span)) * 680;
  return (
    <svg viewBox="0 0 700 44" className="timeline" aria-hidden="true" focusable="false">
      <line x1={10} y1={14} x2={690} y2={14} className="chart-axis" />
      {props.rows.map((r, i) => {
        const at = Date.parse(r.due.nextAt ?? '');
        return (
          <g key={r.key.ref}>
            <circle cx={x(at)} cy={14} r={5} className={`dot-${r.due.state}`} />
            <text
              x={x(at)}
              y={i % 2 ? 40 : 30}
              className="chart-label"
              textAnchor={x(at) > 620 ? 'end' : x(at) < 80 ? 'start' : 'middle'}
            >
              {r.key.name}
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
