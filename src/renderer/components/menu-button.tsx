import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  /** Read by screen readers after the label (e.g. the key it acts on). */
  srSuffix?: string;
  danger?: boolean;
  /** Still listed and focusable, but says why it cannot run (the title) instead of running. */
  disabledReason?: string;
  onSelect: () => void;
}

/**
 * A menu button (WAI-ARIA APG "menu button" pattern): Enter, Space or ArrowDown opens it on the
 * first item, ArrowUp on the last; arrows, Home and End move; Escape or Tab closes it, and focus
 * returns to the button after Escape or a choice. Items are rendered only while it is open, so
 * 500 rows cost 500 buttons, not 2,500.
 */
export function MenuButton(props: { label: string; srLabel: string; items: MenuItem[] }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [place, setPlace] = useState<CSSProperties>({});
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const n = props.items.length;

  useEffect(() => {
    if (!open) return;
    const items = menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
    items?.[active]?.focus({ preventScroll: true });
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    // Fixed to the viewport, so a scroll would leave it behind: close it instead.
    const scrolled = (e: Event) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    window.addEventListener('scroll', scrolled, true);
    window.addEventListener('resize', scrolled);
    return () => {
      document.removeEventListener('pointerdown', outside);
      window.removeEventListener('scroll', scrolled, true);
      window.removeEventListener('resize', scrolled);
    };
  }, [open]);

  const show = (at: number) => {
    // Fixed, not absolute: the table around the row scrolls and would clip the menu.
    const r = button.current?.getBoundingClientRect();
    if (r) {
      const below = window.innerHeight - r.bottom > 40 * n + 16;
      setPlace({
        position: 'fixed',
        right: window.innerWidth - r.right,
        ...(below ? { top: r.bottom + 4 } : { bottom: window.innerHeight - r.top + 4 }),
      });
    }
    setActive(at);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      show(0);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      show(n - 1);
    }
  };
  const onMenuKey = (e: KeyboardEvent) => {
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
      setOpen(false);
    }
  };
  const choose = (item: MenuItem) => {
    close(true);
    item.onSelect();
  };

  return (
    <div className="menu-wrap">
      <button
        ref={button}
        type="button"
        className="button small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onKeyDown={onButtonKey}
        onClick={() => (open ? close(false) : show(0))}
      >
        {props.label}
        <span className="sr-only"> {props.srLabel}</span>
        <span aria-hidden="true"> ▾</span>
      </button>
      {open ? (
        <ul
          ref={menu}
          id={`${id}-menu`}
          role="menu"
          className="menu"
          style={place}
          aria-label={props.srLabel}
          onKeyDown={onMenuKey}
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
                onClick={() => choose(item)}
                onMouseEnter={() => setActive(i)}
              >
                {item.label}
                {item.srSuffix ? <span className="sr-only"> {item.srSuffix}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
