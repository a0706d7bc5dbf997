export function ScopeChips(props: { scopes: string[] }) {
  if (props.scopes.length === 0) return <span className="muted">no scopes</span>;
  return (
    <ul className="chips" aria-label="Scopes">
      {props.scopes.map((s) => (
        <li key={s} className="chip">
          {s}
        </li>
      ))}
    </ul>
  );
}
