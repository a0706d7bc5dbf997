import { useMemo } from 'react';
import type { TrafficHistoryView, TrafficSeriesView } from '../../../shared/contract';
import { ErrorNote } from '../../components/error-note';
import { Sparkline, TrafficChart } from '../../components/traffic-chart';
import { attentionItems } from '../../lib/attention';
import { useNow } from '../../lib/use-now';
import { refusedText, totalSeries } from '../../lib/traffic-series';
import {
  useAccounts,
  useClients,
  useConnections,
  useKeys,
  useRotation,
  useSettings,
  useStores,
  useTraffic,
} from '../../stores/hooks';
import { AttentionList } from './attention-list';
import { KeyAges } from './key-ages';

/** The first screen: what needs the user, the proxy's last 24 h, and how old each key is. */
export function OverviewScreen() {
  const stores = useStores();
  const keys = useKeys((s) => s.keys);
  const keysLoaded = useKeys((s) => s.loaded);
  const connections = useConnections((s) => s.connections);
  const clients = useClients((s) => s.clients);
  const proxy = useSettings((s) => s.status?.proxy ?? null);
  const due = useKeys((s) => s.due);
  const waiting = useRotation((s) => s.waiting);
  const accounts = useAccounts((s) => s.accounts);
  const keychain = useSettings((s) => s.status?.keychain ?? null);
  const history = useTraffic((s) => s.history);
  const trafficError = useTraffic((s) => s.error);
  const now = useNow();
  const items = useMemo(
    () =>
      attentionItems({
        keys,
        keysLoaded,
        waiting,
        accounts,
        connections,
        clients,
        keychain,
        proxy,
        due,
        now,
      }),
    [keys, keysLoaded, waiting, accounts, connections, clients, keychain, proxy, due, now],
  );
  // A next step (the first key) is not a problem to count.
  const urgent = items.filter((i) => i.severity !== 'info').length;
  return (
    <section className="screen overview" aria-labelledby="overview-title">
      <div className="screen-head">
        <h2 id="overview-title">Overview</h2>
      </div>
      <section className="panel" aria-labelledby="attention-title">
        <h3 id="attention-title">
          Needs attention {urgent ? <span className="count-badge">{urgent}</span> : null}
        </h3>
        <AttentionList items={items} />
      </section>
      <section className="panel" aria-labelledby="traffic-title">
        <h3 id="traffic-title">Proxy traffic, last 24 hours</h3>
        <ErrorNote message={trafficError} title="Could not load the traffic:" />
        {history ? <Traffic history={history} /> : null}
      </section>
      <section className="panel" aria-labelledby="ages-title">
        <h3 id="ages-title">Key ages</h3>
        <KeyAges
          keys={keys}
          due={due}
          now={now}
          onShow={(ref) => stores.ui.getState().showKey(ref)}
        />
      </section>
    </section>
  );
}

function Traffic({ history }: { history: TrafficHistoryView }) {
  const total = useMemo(() => totalSeries(history), [history]);
  const window = { from: history.from, to: history.to, bucketMs: history.bucketMs };
  return (
    <>
      <TrafficChart title="All connections" series={total} {...window} />
      {total.requests === 0 ? (
        <p className="muted">
          No request has gone through the proxy yet. Point an AI client at a connection&apos;s URL
          and its calls show up here as they happen.
        </p>
      ) : (
        <div className="split">
          <SeriesTable
            title="By connection"
            what="Connection"
            series={history.connections}
            window={window}
          />
          <SeriesTable title="By client" what="Client" series={history.clients} window={window} />
        </div>
      )}
    </>
  );
}

function SeriesTable(props: {
  title: string;
  what: string;
  series: TrafficSeriesView[];
  window: { from: number; to: number; bucketMs: number };
}) {
  return (
    <div
      className="table-wrap"
      tabIndex={0}
      role="region"
      aria-label={`Traffic ${props.title.toLowerCase()}`}
    >
      <table className="table compact">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{props.what}</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">Refused by Keyway</th>
            <th scope="col">Added latency</th>
            <th scope="col">
              <span className="sr-only">Requests per hour</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.series.map((s) => (
            <tr key={s.name} data-series={s.name}>
              <th scope="row" className="series-name">
                {s.name}
              </th>
              <td>{s.requests}</td>
              <td className={s.errors ? 'has-errors' : undefined}>{s.errors}</td>
              <td className="refused">{refusedText(s.refused) ?? '—'}</td>
              <td>{s.addedMs === null ? '—' : `${s.addedMs} ms`}</td>
              <td>
                <Sparkline series={s} {...props.window} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
