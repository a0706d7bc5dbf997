import type { GuidedSteps } from '../../../shared/contract';

/** The vendor's own dashboard steps, with a link that opens the dashboard. */
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
          <p>
            <a href={g.dashboardUrl} target="_blank" rel="noopener noreferrer">
              Open the {props.vendorName} dashboard
            </a>{' '}
            <span className="muted mono">{g.dashboardUrl}</span>
          </p>
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
