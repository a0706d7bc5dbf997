import { CopyButton } from './copy-button';

/** A client token, shown this once: only its hash is kept, so it cannot be shown again. */
export function TokenOnce(props: { client: string; token: string }) {
  return (
    <div className="token-once">
      <p>
        <strong>Token for {props.client}</strong> — copy it now. Keyway keeps only its hash and
        cannot show it again.
      </p>
      <div className="token-row">
        <code className="token" aria-label={`Token for ${props.client}`}>
          {props.token}
        </code>
        <CopyButton text={props.token} label="Copy token" />
      </div>
    </div>
  );
}
