// Builds the page into crates/marsad-serve/assets with fixed file names, so
// the Rust crate can include_bytes! them and a rebuild can be diffed.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/assets/',
  build: {
    outDir: '../crates/marsad-serve/assets',
    emptyOutDir: true,
    modulePreload: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        entryFileNames: 'app.js',
        chunkFileNames: 'app-[name].js',
        assetFileNames: 'app[extname]',
      },
    },
  },
});
