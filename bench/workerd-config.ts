import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../test/support/test-secrets.ts";

/**
 * A benchmark that runs inside workerd against the real Worker, Durable Objects and KV (bench/cost,
 * bench/shard): the tests in `root`, with the test secrets and no network.
 */
export function workerdBench(root: string, timeoutMs = 60_000) {
  return defineConfig({
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
    test: { root, include: ["*.test.ts"], testTimeout: timeoutMs, hookTimeout: timeoutMs },
  });
}
