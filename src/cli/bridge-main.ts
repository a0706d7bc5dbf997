// `keyway bridge SLUG`: the entry of the separately bundled bridge (out/node/bridge.js). It reads
// its arguments, finds the proxy and runs the pump; it imports only the bridge and node built-ins
// so a stdio client window starts it in tens of milliseconds. Exit: 0 done, 1 failed, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../main/core/data-dir';
import { readDiscovery } from '../main/core/discovery';
import { bridgeEndpoint, runBridge } from './bridge';

const USAGE = `usage: keyway bridge SLUG [--token-file FILE] [--data-dir DIR] [--url URL]

Connects a stdio-only AI client to the Keyway proxy for connection SLUG: JSON-RPC lines on
stdin and stdout, Streamable HTTP to the proxy. The local client token comes from --token-file
or the KEYWAY_TOKEN environment variable (never from an argument). The proxy is found through
the running instance's discovery file (--data-dir, else KEYWAY_DATA_DIR, else the default data
directory), or given with --url.
`;

function fail(code: number, reason: string): number {
  process.stderr.write(
    `keyway bridge: ${reason}\n${code === 2 ? `${USAGE.split('\n')[0]}\n` : ''}`,
  );
  return code;
}

async function main(argv: string[]): Promise<number> {
  // Also reachable as `keyway bridge …` through the main CLI, which passes its own argv.
  const args = argv[0] === 'bridge' ? argv.slice(1) : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'token-file': { type: 'string' },
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return fail(2, (err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [slug, ...extra] = parsed.positionals;
  if (!slug || extra.length > 0) return fail(2, 'takes exactly one connection SLUG');
  let token = process.env.KEYWAY_TOKEN?.trim();
  const tokenFile = parsed.values['token-file'];
  if (tokenFile !== undefined) {
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      return fail(1, `cannot read the token file ${tokenFile} (${why})`);
    }
  }
  if (!token) return fail(2, 'no local token: set KEYWAY_TOKEN or pass --token-file FILE');
  let url = parsed.values.url;
  if (url === undefined) {
    const dataDir = resolveDataDir(parsed.values['data-dir']);
    url = (await readDiscovery(dataDir))?.url;
    if (!url) {
      return fail(
        1,
        `Keyway is not running (no discovery file in ${dataDir}); start the app or \`keyway serve\``,
      );
    }
  }
  try {
    bridgeEndpoint(url, slug);
  } catch {
    return fail(2, `not a URL: ${url}`);
  }
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  return runBridge({ url, slug, token, ...io });
}

const code = await main(process.argv.slice(2));
// Exit once stdout has drained, so the last answer always reaches the client whole.
process.stdout.write('', () => process.exit(code));
