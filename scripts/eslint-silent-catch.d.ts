import type { ESLint } from 'eslint';

/** The local lint rules (eslint-silent-catch.js). */
declare const plugin: ESLint.Plugin;
export default plugin;
