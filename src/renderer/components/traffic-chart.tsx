import { useId } from 'react';
import type { TrafficPoint, TrafficSeriesView } from '../../shared/contract';
import { clockTime, dayTime, hourlyBars, trafficSummary } from '../lib/traffic-series';

const W = 720;
const H = 120;
const HOUR = 3_600_000;

/**
 * Requests (and the errors among them) per hour over the last 24 h, as plain SVG bars: an hour
 * is wide enough to see (a 5-minute bucket was a 1-px sliver). The summary line is the chart's
 * text equivalent and its accessible name; the table lists every 5-minute bucket with traffic.
 */
export function TrafficChart(props: {
  title: string;
  series: TrafficSeriesView;
  from: number;
  to: number;
  bucketMs: number;
}) {
  const id = useId();
  const buckets = hourlyBars(props.series.points, props.to);
  const max = Math.max(1, ...buckets.map((b) => b.requests));
  const bw = W / buckets.length;
  // Every 6 hours, the first with its day: "Sun 6 Dec 14:05 … 20:05 … now".
  const ticks = [0, 6, 12, 18].map((h) => props.to - (24 - h) * HOUR);
  const summary = trafficSummary(props.series);
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>
        <strong>{props.title}:</strong> <span className="chart-summary">{summary}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="chart-svg"
        role="img"
        aria-label={`${props.title}: ${summary}`}
        data-requests={props.series.requests}
        data-errors={props.series.errors}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={H} x2={W} y2={H} className="chart-axis" />
        {buckets.map((b, i) =>
          b.requests === 0 ? null : (
            <g key={b.at}>
              <title>{barTitle(b)}</title>
              <rect
                className="bar-requests"
                x={i * bw}
                width={bw - 2}
                y={H - (b.requests / max) * H}
                height={(b.requests / max) * H}
              />
              {b.errors ? (
                <rect
                  className="bar-errors"
                  x={i * bw}
                  width={bw - 2}
                  y={H - (b.errors / max) * H}
                  height={(b.errors / max) * H}
                />
              ) : null}
            </g>
          ),
        )}
      </svg>
      <p className="chart-axis-labels" aria-hidden="true">
        {ticks.map((at, i) => (
          <span key={at}>{i === 0 ? dayTime(at) : clockTime(at)}</span>
        ))}
        <span>now</span>
      </p>
      <p className="chart-legend" aria-hidden="true">
        <span className="swatch swatch-requests" /> requests{' '}
        <span className="swatch swatch-errors" /> errors
      </p>
      <BucketTable title={props.title} points={props.series.points} />
    </figure>
  );
}

function barTitle(b: TrafficPoint): string {
  const added = b.addedMs === null ? '' : `, ${b.addedMs} ms added`;
  return `${clockTime(b.at)}–${clockTime(b.at + HOUR)}: ${b.requests} requests, ${b.errors} errors${added}`;
}

function BucketTable(props: { title: string; points: TrafficPoint[] }) {
  if (props.points.length === 0) return null;
  const rows = props.points.slice(-48).reverse();
  return (
    <details className="chart-table">
      <summary>Show as a table</summary>
      <table className="table compact">
        <caption className="sr-only">{props.title}, per 5 minutes, newest first</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">Added latency</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.at}>
              <th scope="row">{clockTime(p.at)}</th>
              <td>{p.requests}</td>
              <td>{p.errors}</td>
              <td>{p.addedMs === null ? '—' : `${p.addedMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A row's shape of traffic, decorative: the row's own cells carry the numbers. */
export function Sparkline(props: {
  series: TrafficSeriesView;
  from: number;
  to: number;
  bucketMs: number;
}) {
  // Hourly resolution is enough at this size: 24 bars of 4 units fill the 96-unit box exactly.
  const bars = hourlyBars(props.series.points, props.to);
  const max = Math.max(1, ...bars.map((b) => b.requests));
  return (
    <svg viewBox="0 0 96 20" className="sparkline" aria-hidden="true" focusable="false">
      {bars.map((b, i) =>
        b.requests ? (
          <rect
            key={b.at}
            className="bar-requests"
            x={i * 4}
            width={3}
            y={20 - (b.requests / max) * 20}
            height={(b.requests / max) * 20}
          />
        ) : null,
      )}
    </svg>
  );
}
