import { formatMs } from '../../lib/format';
import type { StepRow } from '../../lib/rotation-steps';

const ICON: Record<StepRow['state'], string> = {
  done: '✓',
  failed: '✗',
  running: '…',
  pending: '○',
  skipped: '–',
};

const SAY: Record<StepRow['state'], string> = {
  done: 'done',
  failed: 'failed',
  running: 'in progress',
  pending: 'to do',
  skipped: 'not run',
};

/** The rotation's steps, each ticked with its time as the service reports it. */
export function StepList(props: { rows: StepRow[]; label: string }) {
  return (
    <ol className="steps" aria-label={props.label}>
      {props.rows.map((r) => (
        <li key={r.step} className={`step step-${r.state}`} data-step={r.step} data-state={r.state}>
          <span className="step-icon" aria-hidden="true">
            {ICON[r.state]}
          </span>
          <span className="step-label">{r.label}</span>
          <span className="step-ms">
            <span className="sr-only">{SAY[r.state]}</span>
            {r.ms !== null ? ` ${formatMs(r.ms)}` : ''}
          </span>
          {r.message ? <span className="step-message">{r.message}</span> : null}
        </li>
      ))}
    </ol>
  );
}
