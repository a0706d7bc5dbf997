/** The slice of Electron's clipboard Keyway uses (so the expiry logic is testable without it). */
export interface ClipboardLike {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
  clear(): void;
}

/**
 * Writes a key to the clipboard and clears it after `clearAfterMs` — but only if it still
 * holds that key: anything the user copied since is theirs and stays. The key itself is kept
 * only inside the timer's closure for that long, never logged.
 */
export function copyWithExpiry(
  clipboard: ClipboardLike,
  schedule: (fn: () => void, ms: number) => unknown = setTimeout,
): (text: string, clearAfterMs: number) => void {
  return (text, clearAfterMs) => {
    void clipboard.writeText(text);
    schedule(() => {
      void Promise.resolve(clipboard.readText()).then((now) => {
        if (now === text) clipboard.clear();
      });
    }, clearAfterMs);
  };
}
