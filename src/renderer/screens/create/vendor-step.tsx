import { useVendors } from '../../stores/hooks';
import { ErrorNote } from '../../components/error-note';
import type { StepProps } from './wizard-draft';

export function VendorStep({ draft, update, next }: StepProps) {
  const vendors = useVendors((s) => s.vendors);
  const error = useVendors((s) => s.error);
  return (
    <div className="stack">
      <ErrorNote message={error} title="Could not load vendors:" />
      <fieldset className="choices">
        <legend>Which vendor is the key for?</legend>
        {vendors.map((v) => (
          <label key={v.id} className="choice">
            <input
              type="radio"
              name="vendor"
              value={v.id}
              checked={draft.vendor?.id === v.id}
              onChange={() =>
                update({
                  vendor: v,
                  account: null,
                  scopes: [],
                  scopesTouched: false,
                  securityLevel: '',
                  sessionDuration: '',
                })
              }
            />
            <span className="choice-text">
              <strong>{v.displayName}</strong>
              <span className="sub">
                {v.capabilities.mint
                  ? `Keyway creates, rotates and revokes keys through ${v.displayName}'s API.`
                  : v.guided
                    ? `Guided: you make the key in the ${v.displayName} dashboard; Keyway verifies it, swaps it in and checks the old one is revoked.`
                    : 'Any MCP server of your own: you paste its key and say which header carries it; Keyway verifies it with an MCP handshake.'}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div>
        <button type="button" className="button primary" disabled={!draft.vendor} onClick={next}>
          Next
        </button>
      </div>
    </div>
  );
}
