import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "./test/support/test-secrets.ts";

// Tests run inside workerd against the real Durable Objects and KV. Secrets come from here, not
// from .dev.vars, so a clean clone (CI) runs the same as a developer's checkout.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      verbose: false,
      miniflare: {
        bindings: {
          ADMIN_KEY: TEST_ADMIN_KEY,
          ENCRYPTION_KEYS: JSON.stringify(TEST_ENCRYPTION_KEYS),
          LOG_REQUESTS: "false",
        },
        // Fail closed: any outbound fetch a test did not mock gets a 599 instead of the network.
        outboundService: () => new Response("outbound fetch blocked in tests", { status: 599 }),
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
