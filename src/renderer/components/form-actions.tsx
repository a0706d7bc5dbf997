import { ErrorNote } from './error-note';

/**
 * The end of an inline edit form: why the last save failed (if it did), the submit button and
 * Cancel. One component, so every form says a failure the same way and keeps its buttons in the
 * same order.
 */
export function FormActions(props: {
  error: string | null;
  errorTitle: string;
  submitLabel: string;
  disabled: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      <ErrorNote message={props.error} title={props.errorTitle} />
      <div className="row">
        <button type="submit" className="button primary" disabled={props.disabled}>
          {props.submitLabel}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
