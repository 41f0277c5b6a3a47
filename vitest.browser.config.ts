import { defineConfig } from "vitest/config";

// The console in a real browser: Chromium (playwright-core) against `wrangler dev`, started once by
// the global setup. Runs in Node, not workerd; the main config excludes test/browser.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/browser/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // KV index and cache writes are paced at one per key per second and run from alarms, so a
    // poll must outlast that pacing on a loaded 2-core machine; 1 s (the default) is too tight.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
