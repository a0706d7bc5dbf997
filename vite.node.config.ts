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
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
