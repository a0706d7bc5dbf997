import {
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type RefObject,
} from 'react';

export interface MenuItem {
  label: string;
  /** Read by screen readers after the label (e.g. the key it acts on). */
  srSuffix?: string;
  danger?: boolean;
  /** Still listed and focusable, but says why it cannot run (the title) instead of running. */
  disabledReason?: string;
  onSelect: () => void;
}

/** Where the open menu starts: its first item (Enter, Space, ArrowDown: 0) or its last (ArrowUp: -1). */
type Opening = { at: number; place: CSSProperties } | null;

/**
 * A menu button (WAI-ARIA APG "menu button" pattern): Enter, Space or ArrowDown opens it on the
 * first item, ArrowUp on the last; arrows, Home and End move; Escape or Tab closes it, and focus
 * returns to the button after Escape or a choice. A closed one is a plain button (one state, one
 * ref): the menu and its keyboard handling exist only while it is open, so 500 key rows stay as
 * cheap as they were with plain buttons. For the same reason the items are a function, called
 * only while the menu is open: a closed row builds no item objects and no handlers.
 */
export function MenuButton(props: {
  id: string;
  label: string;
  srLabel: string;
  items: () => MenuItem[];
}) {
  const [opening, setOpening] = useState<Opening>(null);
  const button = useRef<HTMLButtonElement>(null);
  const show = (at: number) => {
    const n = props.items().length;
    // Fixed, not absolute: the table around the row scrolls and would clip the menu.
    const r = button.current?.getBoundingClientRect();
    const below = !r || window.innerHeight - r.bottom > 40 * n + 16;
    const place: CSSProperties = r
      ? {
          right: window.innerWidth - r.right,
          ...(below ? { top: r.bottom + 4 } : { bottom: window.innerHeight - r.top + 4 }),
        }
      : {};
    setOpening({ at, place });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      show(0);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      show(-1);
    }
  };
  const close = (refocus: boolean) => {
    setOpening(null);
    if (refocus) button.current?.focus();
  };
  return (
    <div className="menu-wrap">
      <button
        ref={button}
        type="button"
        className="button small"
        aria-haspopup="menu"
        aria-expanded={opening !== null}
        aria-controls={opening ? props.id : undefined}
        onKeyDown={onKeyDown}
        onClick={() => (opening ? close(false) : show(0))}
      >
        {props.label}
        <span className="sr-only"> {props.srLabel}</span>
        <span aria-hidden="true"> ▾</span>
      </button>
      {opening ? (
        <OpenMenu
          id={props.id}
          srLabel={props.srLabel}
          items={props.items()}
          opening={opening}
          button={button}
          close={close}
        />
      ) : null}
    </div>
  );
}

function OpenMenu(props: {
  id: string;
  srLabel: string;
  items: MenuItem[];
  opening: NonNullable<Opening>;
  button: RefObject<HTMLButtonElement | null>;
  close: (refocus: boolean) => void;
}) {
  const n = props.items.length;
  // A negative start counts from the end (ArrowUp opens on the last item).
  const [active, setActive] = useState(
    props.opening.at < 0 ? n + props.opening.at : props.opening.at,
  );
  const menu = useRef<HTMLUListElement>(null);
  const { close, button } = props;

  useEffect(() => {
    const items = menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
    items?.[active]?.focus({ preventScroll: true });
  }, [active]);

  useEffect(() => {
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) close(false);
    };
    // Fixed to the viewport, so a scroll would leave it behind: close it instead.
    const scrolled = (e: Event) => {
      if (!menu.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', outside);
    window.addEventListener('scroll', scrolled, true);
    window.addEventListener('resize', scrolled);
    return () => {
      document.removeEventListener('pointerdown', outside);
      window.removeEventListener('scroll', scrolled, true);
      window.removeEventListener('resize', scrolled);
    };
  }, [close, button]);

  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: (active + 1) % n,
      ArrowUp: (active - 1 + n) % n,
      Home: 0,
      End: n - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      setActive(moves[e.key] ?? 0);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  return (
    <ul
      ref={menu}
      id={props.id}
      role="menu"
      className="menu"
      style={props.opening.place}
      aria-label={props.srLabel}
      onKeyDown={onKeyDown}
    >
      {props.items.map((item, i) => (
        <li key={item.label} role="none">
          <button
            type="button"
            role="menuitem"
            tabIndex={i === active ? 0 : -1}
            className={item.danger ? 'danger' : undefined}
            aria-disabled={item.disabledReason ? true : undefined}
            title={item.disabledReason}
            onClick={() => {
              close(true);
              item.onSelect();
            }}
            onMouseEnter={() => setActive(i)}
          >
            {item.label}
            {item.srSuffix ? <span className="sr-only"> {item.srSuffix}</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}
