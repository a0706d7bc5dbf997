// Loaded with `node --import` by test/support/module-trace.ts: records the URL of every module
// the process loads (ESM imports, and CommonJS packages reached through them or through
// `require`, e.g. the keychain's native package) to the file named by KEYWAY_MODULE_TRACE, one
// per line, so a test can see what a command's start-up loads.
import { appendFileSync } from 'node:fs';
import Module, { isBuiltin, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const hooks = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!result.url.startsWith('node:')) appendFileSync(file, result.url + '\\n');
  return result;
}
`;
const file = process.env.KEYWAY_MODULE_TRACE;
if (file) {
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { file } });
  // `require` (and createRequire) resolves outside the ESM hooks above.
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    const found = resolveFilename.call(this, request, ...rest);
    if (!isBuiltin(found)) appendFileSync(file, pathToFileURL(found).href + '\n');
    return found;
  };
}
