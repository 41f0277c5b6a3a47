import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../../test/support/test-secrets.ts";

// `npm run bench:capacity`: what one object carries, measured inside workerd against the real
// Worker and Durable Objects, with no proxy in between (see fan-out.test.ts).
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
          // Past the default 1,000, to see how the cost grows.
          MAX_WATCHERS_PER_OBJECT: "2000",
        },
        ratelimits: { RATE_LIMITER: { namespace_id: "1001", simple: { limit: 1_000_000_000, period: 60 } } },
        outboundService: () => new Response("outbound fetch blocked", { status: 599 }),
      },
    }),
  ],
  test: { root: import.meta.dirname, include: ["*.test.ts"], testTimeout: 600_000, hookTimeout: 60_000 },
});
