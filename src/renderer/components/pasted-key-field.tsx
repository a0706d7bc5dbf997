import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { FormatReport } from '../../shared/contract';
import type { VendorId } from '../../shared/domain';
import { errorMessage } from '../api/error-message';
import { useStores } from '../stores/hooks';

/**
 * Where the user pastes a key made in a vendor dashboard. Deliberately uncontrolled: React
 * would mirror a controlled value into the `value` attribute, and a key must never sit in the
 * DOM or in state. The parent reads `inputRef.current.value` when it submits, then clears it.
 */
export function PastedKeyField({
  label,
  vendor,
  vendorName,
  inputRef,
  onReport,
}: {
  label: string;
  vendor: VendorId;
  vendorName: string;
  inputRef: RefObject<HTMLInputElement | null>;
  onReport: (report: FormatReport | null) => void;
}) {
  const { client } = useStores();
  const id = useId();
  const [shown, setShown] = useState(false);
  const [report, setReport] = useState<FormatReport | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const check = (value: string) => {
    if (timer.current) clearTimeout(timer.current);
    const mine = ++seq.current;
    if (!value) {
      setReport(null);
      onReport(null);
      return;
    }
    timer.current = setTimeout(() => {
      client['key.checkFormat']({ vendor, secret: value }).then(
        (r) => {
          if (mine !== seq.current) return;
          setCheckError(null);
          setReport(r);
          onReport(r);
        },
        (err: unknown) => {
          if (mine === seq.current) setCheckError(errorMessage(err));
        },
      );
    }, 120);
  };

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input
          id={id}
          ref={inputRef}
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-check`}
          onInput={(e) => check(e.currentTarget.value)}
        />
        <button
          type="button"
          className="button small"
          aria-pressed={shown}
          onClick={() => setShown(!shown)}
        >
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
      <div id={`${id}-check`} className="field-help" role="status">
        {checkError ??
          (report === null
            ? `Paste the key exactly as ${vendorName} shows it.`
            : report.ok
              ? `Looks like a ${vendorName} key.`
              : (report.reason ?? `This is not a ${vendorName} key.`))}
        {report?.warnings.map((w) => (
          <span key={w} className="warn-text">
            {' '}
            {w}
          </span>
        ))}
      </div>
    </div>
  );
}
