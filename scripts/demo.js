// `npm run demo`: a throwaway Keyway in a private keychain, so a newcomer can try it without an
// account anywhere. Prints the web UI URL; Ctrl-C stops it and forgets everything.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'keyway-demo-'));
const port = process.env.KEYWAY_DEMO_PORT ?? '8931';
const serve = spawn(process.execPath, ['bin/keyway.js', 'serve', '--port', port, ...process.argv.slice(2)], {
  env: { ...process.env, KEYWAY_DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let buffered = '';
serve.stdout.on('data', (chunk) => {
  buffered += chunk.toString();
  if (!buffered.includes('\n')) return;
  const ready = JSON.parse(buffered.split('\n')[0]);
  process.stdout.write(
    [
      '',
      'Keyway demo is running (data in a temporary directory, keys in a private keychain).',
      `  Web UI:     ${ready.ui}`,
      `  Control:    ${ready.url}/api/`,
      `  CLI:        KEYWAY_DATA_DIR=${dataDir} node bin/keyway.js key ls`,
      '  Stop:       Ctrl-C',
      '',
    ].join('\n'),
  );
  buffered = '';
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill('SIGTERM'));
serve.on('close', (code) => process.exit(code ?? 1));
