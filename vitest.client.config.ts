import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// edgestate/client from Node against `wrangler dev` (started once by the global setup, with a
// second Worker calling it through a service binding), and the packed package installed in a
// fresh directory. Runs in Node, not workerd; the main config excludes test/client. Tests import
// "edgestate/client" as a user does: the built dist/client, typed by its published .d.ts.
export default defineConfig({
  resolve: {
    alias: { "edgestate/client": resolve(dirname(fileURLToPath(import.meta.url)), "dist/client/index.js") },
  },
  test: {
    include: ["test/client/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/client/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Listings come from the KV index, written from alarms at most once per key per second.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
