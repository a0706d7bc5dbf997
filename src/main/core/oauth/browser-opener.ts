import { spawn } from 'node:child_process';

/**
 * Opens a URL in the user's browser: `$BROWSER` when set (the URL as its one argument), else the
 * OS's opener. Always an argument list, never a shell: an authorization URL is attacker-
 * influenced text (mcp-remote's CVE-2025-6514 was one pasted into a shell command).
 */
export function browserCommand(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  const browser = env.BROWSER?.trim();
  if (browser) return { command: browser, args: [url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd built-in; rundll32 opens a URL without one.
  if (platform === 'win32')
    return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/** Resolves once the opener started (not when the browser is done); rejects when it cannot run. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return Promise.reject(new Error(`refusing to open a ${parsed.protocol} URL`));
  const { command, args } = browserCommand(parsed.href, env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false, env });
    child.once('error', (err) => reject(new Error(`cannot start ${command}: ${err.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
