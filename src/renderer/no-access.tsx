/** Opened without the link `keyway serve` printed: say how to get in, never guess a token. */
export function NoAccess() {
  return (
    <main className="no-access" id="main">
      <h1>Keyway</h1>
      <p>This page needs the link Keyway printed when it started — it carries the access token.</p>
      <p>
        Run <code>keyway serve</code> and open the <code>ui</code> address it prints (
        <code>http://127.0.0.1:PORT/#token=…</code>), or open the Keyway desktop app.
      </p>
    </main>
  );
}
