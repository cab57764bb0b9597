import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Settings follow docs/toolchain.md §4: the oxc minifier (not esbuild), a Safari 13 target for
// WebKitGTK, a fixed dev port that tauri.conf.json's devUrl points at, and the Svelte browser build
// under Vitest.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_ENV_"],
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    target: "safari13",
    minify: !process.env.TAURI_ENV_DEBUG,
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-setup.ts"],
  },
});
