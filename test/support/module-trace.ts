import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOOK = pathToFileURL(resolve(import.meta.dirname, 'module-trace-hook.js')).href;

/** Environment for a spawned `keyway …` that records every module it loads into `file`. */
export function traceEnv(file: string): NodeJS.ProcessEnv {
  return { NODE_OPTIONS: `--import=${HOOK}`, KEYWAY_MODULE_TRACE: file };
}

export function traceFile(dir: string, name: string): string {
  return join(dir, `${name}.modules.txt`);
}

export interface LoadedModules {
  /** npm packages loaded, by name ("zod", "@napi-rs/keyring"). */
  packages: string[];
  /** Keyway's own bundle files loaded, by file name without the content hash ("key-commands"). */
  bundle: string[];
  /** Every module URL, for checks inside a package (which parts of the MCP SDK). */
  urls: string[];
}

/** What a traced process loaded so far (see module-trace-hook.js). */
export async function loadedModules(file: string): Promise<LoadedModules> {
  const urls = new Set((await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  const packages = new Set<string>();
  const bundle = new Set<string>();
  for (const url of urls) {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (pkg) packages.add(pkg[1]!);
    const own = /\/out\/node\/(?:assets\/)?([^/]+?)(?:-[\w-]{8})?\.js$/.exec(url);
    if (own && !pkg) bundle.add(own[1]!);
  }
  return { packages: [...packages].sort(), bundle: [...bundle].sort(), urls: [...urls].sort() };
}
