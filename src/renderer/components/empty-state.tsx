import type { ReactNode } from 'react';

/** What a new user sees instead of an empty table: what this is, and what to do next. */
export function EmptyState(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{props.title}</h3>
      <div className="empty-text">{props.children}</div>
      {props.action ? <div className="empty-action">{props.action}</div> : null}
    </div>
  );
}
