import { formatDate } from '../../lib/format';
import { useRotation, useStores } from '../../stores/hooks';
import { runReported } from '../../lib/use-action';

const WHAT: Record<string, string> = {
  paste: 'Paste the new key',
  'user-revoke': 'Revoke the old key in the vendor dashboard, then confirm',
  'revoke-retry': 'Revoking the old key failed; Keyway will retry',
};

/** Rotations that wait on the user or on a retry, with the one action that moves each on. */
export function WaitingRotations() {
  const stores = useStores();
  const waiting = useRotation((s) => s.waiting);
  if (waiting.length === 0) return null;
  const notify = stores.notices.getState().push;
  return (
    <section className="waiting" aria-labelledby="waiting-title">
      <h3 id="waiting-title">Rotations waiting</h3>
      <ul>
        {waiting.map((r) => (
          <li key={r.id}>
            <div>
              <strong>{r.key}</strong> — {(r.waitingFor && WHAT[r.waitingFor]) ?? `step: ${r.step}`}
              {r.message ? <span className="sub">{r.message}</span> : null}
              {r.nextRetryAt ? (
                <span className="sub">Next retry {formatDate(r.nextRetryAt)}</span>
              ) : null}
            </div>
            {r.waitingFor === 'revoke-retry' ? (
              <button
                type="button"
                className="button small"
                onClick={() => {
                  void runReported(stores.notices, () =>
                    stores.rotation.getState().retryRevoke(r.key),
                  ).then((v) => {
                    if (v === undefined) return;
                    notify(
                      v ? 'info' : 'success',
                      v
                        ? `Still not revoked: ${v.message ?? 'the vendor did not confirm'}`
                        : `Old key of ${r.key} revoked`,
                    );
                  });
                }}
              >
                Retry revoke now<span className="sr-only"> for {r.key}</span>
              </button>
            ) : (
              <button
                type="button"
                className="button small primary"
                onClick={() => stores.ui.getState().open({ kind: 'rotate', ref: r.key })}
              >
                Continue<span className="sr-only"> rotating {r.key}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
