import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { PREVIEW_BRIDGE } from './src/shared/contract'

export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: 'src/main/index.ts' } } },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [vue()],
    build: {
      minify: true,
      // One local bundle for a desktop app; no network to split it for.
      chunkSizeWarningLimit: 1500,
      rollupOptions: {
        // The browser preview's window.lab (src/preview), beside the page; the host serves it.
        input: { index: 'src/renderer/index.html', bridge: 'src/preview/main.ts' },
        output: {
          entryFileNames: (chunk) =>
            chunk.name === 'bridge' ? PREVIEW_BRIDGE.script : 'assets/[name]-[hash].js',
        },
      },
    },
  },
})
