/** A failure in the vendor's (or Keyway's) own words, announced to screen readers. */
export function ErrorNote(props: { message: string | null; title?: string }) {
  if (!props.message) return null;
  return (
    <div className="note note-error" role="alert">
      {props.title ? <strong>{props.title} </strong> : null}
      {props.message}
    </div>
  );
}

export function WarningList(props: { warnings: string[] }) {
  if (props.warnings.length === 0) return null;
  return (
    <ul className="note note-warn" aria-label="Warnings">
      {props.warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}
