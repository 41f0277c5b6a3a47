import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../../test/support/test-secrets.ts";

// `npm run bench:shard`: what one index shard takes, measured on the object itself inside workerd
// (no HTTP, no entity in front of it): changes applied per second, and query latency as the shard
// grows to 100,000 entries (see shard-capacity.test.ts).
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
  test: { root: import.meta.dirname, include: ["*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000 },
});
