import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../test/support/test-secrets.ts";

/**
 * A benchmark that runs inside workerd against the real Worker, Durable Objects and KV: the test
 * secrets, no request log, outbound fetches blocked, `bindings` on top (a setting to measure past).
 */
type RateLimits = Record<string, { namespace_id: string; simple: { limit: number; period?: 10 | 60 } }>;

export function workerdBench(
  root: string,
  miniflare: { bindings?: Record<string, string>; ratelimits?: RateLimits } = {},
) {
  return defineConfig({
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "../../wrangler.toml" },
        verbose: false,
        miniflare: {
          ...miniflare,
          bindings: {
            ADMIN_KEY: TEST_ADMIN_KEY,
            ENCRYPTION_KEYS: JSON.stringify(TEST_ENCRYPTION_KEYS),
            LOG_REQUESTS: "false",
            ...miniflare.bindings,
          },
          outboundService: () => new Response("outbound fetch blocked", { status: 599 }),
        },
      }),
    ],
    test: { root, include: ["*.test.ts"], testTimeout: 600_000, hookTimeout: 60_000 },
  });
}
