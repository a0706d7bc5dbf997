/** Placeholder shell; the screens arrive with the UI work (keys, rotation, clients, activity). */
export function App() {
  return (
    <main>
      <h1>Keyway</h1>
      <p>Keys for AI agents, kept in the OS keychain.</p>
    </main>
  );
}
