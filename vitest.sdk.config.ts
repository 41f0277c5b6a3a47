import { defineConfig } from "vitest/config";

// The Step Functions wire API with the real AWS SDK for JavaScript (@aws-sdk/client-sfn) against
// `wrangler dev`, started once by the global setup. Runs in Node, not workerd; the main config
// excludes test/aws-sdk.
export default defineConfig({
  test: {
    include: ["test/aws-sdk/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/aws-sdk/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Listings come from the KV index, written from alarms at most once per key per second.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
