import type { GuidedSteps } from '../../../shared/contract';

/**
 * The vendor's own dashboard steps, with a link that opens the dashboard: the instance says
 * which page (the account's host; the local sandbox's in `npm run demo`), or that it knows none.
 */
export function GuidedStepsView(props: {
  title: string;
  vendorName: string;
  guided: GuidedSteps | null;
  steps: 'createSteps' | 'revokeSteps';
}) {
  const g = props.guided;
  return (
    <div className="guided">
      <h3>{props.title}</h3>
      {g ? (
        <>
          {g.dashboardUrl ? (
            <p>
              <a href={g.dashboardUrl} target="_blank" rel="noopener noreferrer">
                Open the {props.vendorName} dashboard
              </a>{' '}
              {g.sandbox ? <span className="muted">(the local sandbox’s page) </span> : null}
              <span className="muted mono">{g.dashboardUrl}</span>
            </p>
          ) : (
            <p className="muted">
              {g.sandbox
                ? `The local sandbox ${props.vendorName} has no dashboard page: use its own admin routes (see src/sandbox/README.md).`
                : 'Keyway knows no dashboard page for this server: use its own admin tool, as below.'}
            </p>
          )}
          <ol className="guided-steps">
            {g[props.steps].map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </>
      ) : (
        <p className="muted">Loading the {props.vendorName} dashboard steps…</p>
      )}
    </div>
  );
}
