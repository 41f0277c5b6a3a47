import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../../test/support/test-secrets.ts";

// `npm run bench:cost`: billable units per API operation, measured inside workerd against the
// real Worker, Durable Objects and KV (see billable-units.test.ts).
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../../wrangler.toml" },
      verbose: false,
      miniflare: {
        bindings: {
          ADMIN_KEY: TEST_ADMIN_KEY,
          ENCRYPTION_KEYS: JSON.stringify(TEST_ENCRYPTION_KEYS),
          LOG_REQUESTS: "false",
        },
        outboundService: () => new Response("outbound fetch blocked", { status: 599 }),
      },
    }),
  ],
  test: { root: import.meta.dirname, include: ["*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
