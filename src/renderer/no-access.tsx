/**
 * Opened without the link `keyway serve` printed, or with one Keyway no longer accepts (the
 * token changes at every start): say how to get in, never guess a token.
 */
export function NoAccess(props: { refused?: boolean }) {
  return (
    <main className="no-access" id="main">
      <h1>Keyway</h1>
      {props.refused ? (
        <p role="alert">
          Keyway refused this page’s access token: the link is from an earlier start (the token
          changes every time Keyway starts), or it was mistyped.
        </p>
      ) : (
        <p>
          This page needs the link Keyway printed when it started — it carries the access token.
        </p>
      )}
      <p>
        Open the <code>ui</code> address <code>keyway serve</code> printed when it last started (
        <code>http://127.0.0.1:PORT/#token=…</code>), or open the Keyway desktop app.
      </p>
    </main>
  );
}
