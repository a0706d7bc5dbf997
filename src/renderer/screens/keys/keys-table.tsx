import { memo, useEffect, useRef, useState } from 'react';
import type { KeyView } from '../../../shared/contract';
import type { Shell } from '../../api/keyway-client';
import { MenuButton } from '../../components/menu-button';
import { ScopeChips } from '../../components/scope-chips';
import { ageDays, relativeTime, timeUntil } from '../../lib/format';
import type { KeyStatusInfo, KeyUsage, RotationDue } from '../../lib/key-facts';

export interface KeyRowModel {
  key: KeyView;
  vendorName: string;
  status: KeyStatusInfo;
  due: RotationDue;
  usage: KeyUsage;
}

export interface KeyRowActions {
  rotate(ref: string): void;
  revoke(ref: string): void;
  rotationPeriod(ref: string): void;
  copyUrl(ref: string): void;
  copyKey(ref: string): void;
  remove(ref: string): void;
  /** An OAuth key's account: sign in (its versions are access tokens). */
  login(ref: string): void;
}

/**
 * Rows rendered at first, and added each time the user scrolls near the end: about three
 * screens of rows (a row is 50–90 px), so the screen paints what can be seen without laying
 * out the rows that cannot. Scrolling adds the next page before the user reaches it.
 */
export const KEY_ROWS_PAGE = 25;

/**
 * Rows in, table out (no store access: the store test renders it to prove no key reaches the
 * DOM). A long list is rendered in pages as the user scrolls, so 500 keys open and filter as
 * fast as 50 do; "Show more" does the same from the keyboard.
 */
export function KeysTable(props: {
  rows: KeyRowModel[];
  now: Date;
  shell: Shell;
  actions: KeyRowActions;
}) {
  const [limit, setLimit] = useState(KEY_ROWS_PAGE);
  const more = useRef<HTMLTableRowElement>(null);
  const total = props.rows.length;
  const shown = props.rows.slice(0, limit);
  const hidden = total - shown.length;

  useEffect(() => {
    const sentinel = more.current;
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setLimit((l) => l + KEY_ROWS_PAGE);
      },
      { rootMargin: '400px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hidden]);

  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Keys table">
      <table className="table keys-table">
        <caption className="sr-only">Keys, their versions, rotation and use</caption>
        <colgroup>
          <col className="col-key" />
          <col className="col-scopes" />
          <col className="col-version" />
          <col className="col-age" />
          <col className="col-state" />
          <col className="col-used" />
          <col className="col-actions" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">Version</th>
            <th scope="col">Age · next rotation</th>
            <th scope="col">State</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <KeyRow
              key={row.key.ref}
              row={row}
              now={props.now}
              shell={props.shell}
              actions={props.actions}
            />
          ))}
          {hidden > 0 ? (
            <tr ref={more} className="more-row">
              <td colSpan={7}>
                <button
                  type="button"
                  className="button small"
                  onClick={() => setLimit((l) => l + KEY_ROWS_PAGE)}
                >
                  Show {Math.min(hidden, KEY_ROWS_PAGE)} more of {hidden} keys
                </button>
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

const KeyRow = memo(function KeyRow(props: {
  row: KeyRowModel;
  now: Date;
  shell: Shell;
  actions: KeyRowActions;
}) {
  const { key, status, due, usage, vendorName } = props.row;
  const v = key.version;
  const ref = key.ref;
  const noUrl = usage.connections.length === 0;
  const browser = props.shell === 'browser';
  return (
    <tr data-key={ref} tabIndex={-1} className={`state-${status.status} due-${due.state}`}>
      <th scope="row">
        <span className="key-name">{key.name}</span>
        <span className="sub">
          {key.account} · {vendorName}
        </span>
        {key.serviceAccount ? <span className="badge badge-sa">service account</span> : null}
      </th>
      <td>
        <ScopeChips scopes={key.scopes} />
      </td>
      <td>
        {v ? (
          <span className="mono nowrap" title={`Fingerprint ${v.fingerprint}, ends in ${v.last4}`}>
            {v.fingerprint} <span className="muted">…{v.last4}</span>
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <span className="sub-first">{v ? ageText(ageDays(v.created, props.now)) : '—'}</span>
        <span className={`sub due due-${due.state}`}>{dueText(due, props.now)}</span>
      </td>
      <td>
        <span className={`badge badge-${status.status}`}>{status.label}</span>
        {status.detail ? <span className="sub">{status.detail}</span> : null}
      </td>
      <td>
        <span className="sub-first">{relativeTime(usage.lastUsed, props.now)}</span>
        {usage.lastClient ? <span className="sub">by {usage.lastClient}</span> : null}
      </td>
      <td className="actions">
        <div className="row-actions">
          {v ? (
            <>
              <button
                type="button"
                className="button small"
                onClick={() => props.actions.rotate(ref)}
              >
                Rotate<span className="sr-only"> {ref}</span>
              </button>
              <MenuButton
                id={`key-menu-${ref}`}
                label="More"
                srLabel={`actions for ${ref}`}
                items={() => [
                  {
                    label: 'Rotation period…',
                    srSuffix: `of ${ref}`,
                    onSelect: () => props.actions.rotationPeriod(ref),
                  },
                  {
                    label: 'Copy proxy URL',
                    srSuffix: `for ${ref}`,
                    disabledReason: noUrl ? 'No connection uses this key yet' : undefined,
                    onSelect: () => props.actions.copyUrl(ref),
                  },
                  {
                    label: 'Copy key',
                    srSuffix: ref,
                    disabledReason: browser
                      ? 'Only the desktop app can copy a key: the web UI never receives one'
                      : undefined,
                    onSelect: () => props.actions.copyKey(ref),
                  },
                  {
                    label: 'Revoke…',
                    srSuffix: ref,
                    danger: true,
                    onSelect: () => props.actions.revoke(ref),
                  },
                ]}
              />
            </>
          ) : status.status === 'signed-out' || status.status === 'needs-login' ? (
            <button
              type="button"
              className="button small primary"
              onClick={() => props.actions.login(ref)}
            >
              Log in<span className="sr-only"> for {ref}</span>
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              title="Every version is revoked; forget the key in Keyway"
              onClick={() => props.actions.remove(ref)}
            >
              Remove<span className="sr-only"> {ref}</span>
            </button>
          )}
        </div>
      </td>
    </tr>
  );
});

function dueText(due: RotationDue, now: Date): string {
  if (due.state === 'none' || !due.nextAt) return 'no rotation policy';
  if (due.state === 'overdue') return `rotation overdue (${relativeTime(due.nextAt, now)})`;
  return `rotate ${timeUntil(due.nextAt, now)}`;
}

function ageText(days: number): string {
  if (days === 0) return 'created today';
  return `${days} day${days === 1 ? '' : 's'} old`;
}
