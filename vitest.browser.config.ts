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
  },
});
