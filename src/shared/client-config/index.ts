/**
 * The config entries that point AI clients at Keyway, one small file per client under kinds/.
 * Pure: no Node, no DOM; the CLI and the renderer import the same code.
 */
export * from './types';
export * from './registry';
export * from './entries';
export { codexTable, yamlDocument } from './text-formats';
