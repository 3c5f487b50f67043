/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Every path the API answers (and the debtor's pages), proxied by `make web` to the local gateway so the
// cookies stay first-party: the browser only ever talks to Vite's origin, as it talks to CloudFront on AWS.
const gateway = process.env.COLLECTRA_API_URL ?? "http://127.0.0.1:3000";
const apiPaths = ["/auth", "/account", "/debtors", "/debts", "/workspace", "/p/", "/u/", "/webhooks"];

export default defineConfig({
  base: "/app/",
  plugins: [react()],
  server: {
    // 127.0.0.1, not localhost: the local stack's WEB_ORIGIN (the extra origin its CSRF check accepts) is
    // http://127.0.0.1:5173, and the proxy keeps the browser's Origin header as it is (changeOrigin: false).
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: gateway, changeOrigin: false }])),
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    // Routes are lazy: the first screen loads only its own chunk (budget in `make web-bench`).
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
  },
});
