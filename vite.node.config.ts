import { defineConfig } from 'vite';

// The plain-Node half of Keyway (CLI, `keyway serve`, bridge, sandbox), bundled as one ESM file
// with dependencies left external, so `bin/keyway.js` starts fast after `npm install`.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node22',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: { keyway: 'src/cli/main.ts', bridge: 'src/cli/bridge-main.ts' },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        // Small modules shared by many commands go into one chunk, not a dozen: each chunk is
        // one more module for Node to resolve at start, and on the path of `keyway serve` that
        // resolving work was enough to get V8's optimizing compiler going (~5 MiB more of an idle
        // instance's memory; issue 24). The keychain stays apart: loading it loads a native module.
        codeSplitting: {
          groups: [
            {
              name: 'common',
              test: /src[\\/](shared[\\/](errors|domain|version|names)|cli[\\/](cli-errors|cli-input)|main[\\/]core[\\/](data-dir|process-alive|discovery|store[\\/]atomic-file|keychain[\\/]secret-store))\.ts$/,
              minShareCount: 2,
            },
          ],
        },
      },
    },
  },
});
