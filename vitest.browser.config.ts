import { defineConfig } from "vitest/config";

// The suites against a real `wrangler dev`, in Node (the main config runs in workerd and excludes
// them): the console in Chromium (playwright-core) and the watch API with real clients (test/live:
// Node's WebSocket, fetch streams, EventSource), against the server the global setup starts; and
// the README's shell blocks, pasted in order against a server of their own (test/readme).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts", "test/live/**/*.test.ts", "test/readme/**/*.test.ts"],
    // The WHATWG EventSource, as browsers have it (test/live/clients.ts).
    execArgv: ["--experimental-eventsource"],
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
