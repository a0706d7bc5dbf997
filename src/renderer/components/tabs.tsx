import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** WAI-ARIA tabs: arrow keys move between tabs, Tab goes into the panel. */
export function Tabs<K extends string>(props: {
  label: string;
  tabs: ReadonlyArray<{ id: K; title: string }>;
  selected: K;
  onSelect: (id: K) => void;
  children: ReactNode;
}) {
  const base = useId();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const index = props.tabs.findIndex((t) => t.id === props.selected);
  const onKey = (e: KeyboardEvent) => {
    const n = props.tabs.length;
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % n;
    else if (e.key === 'ArrowLeft') next = (index - 1 + n) % n;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    const tab = props.tabs[next];
    if (!tab) return;
    e.preventDefault();
    props.onSelect(tab.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={props.label} onKeyDown={onKey}>
        {props.tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={t.id === props.selected}
            aria-controls={`${base}-panel`}
            tabIndex={t.id === props.selected ? 0 : -1}
            onClick={() => props.onSelect(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${props.selected}`}
        className="tabpanel"
      >
        {props.children}
      </div>
    </div>
  );
}
