import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "./test/support/test-secrets.ts";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The shared folder with the conformance fixtures sits beside the checkout (as in CI). A clone made
 * elsewhere (a fresh-clone check in a temp dir) finds it beside the repository it was cloned from.
 */
function sharedDir(): string {
  const beside = resolve(root, "../shared");
  if (existsSync(beside)) return beside;
  try {
    const origin = execFileSync("git", ["config", "--get", "remote.origin.url"], {
      cwd: root,
      encoding: "utf8",
    }).trim();
    const besideOrigin = resolve(root, origin, "../shared");
    if (existsSync(besideOrigin)) return besideOrigin;
  } catch {
    // not a clone: fall through, and the conformance tests say what is missing
  }
  return beside;
}

// wrangler.toml requires ADMIN_KEY and ENCRYPTION_KEYS, and the plugin's wrangler looks for them
// in .dev.vars or the environment once per test file: "Missing required secrets" on a clean clone,
// "Using secrets defined in …" on a checkout, 2 lines × 140 files. The bindings below are what the
// tests use whatever it finds; telling it so, and keeping its informational lines for debugging
// (WRANGLER_LOG=log), leaves only its warnings and errors.
process.env.ADMIN_KEY ??= TEST_ADMIN_KEY;
process.env.ENCRYPTION_KEYS ??= JSON.stringify(TEST_ENCRYPTION_KEYS);
process.env.WRANGLER_LOG ??= "warn";

// Tests run inside workerd against the real Durable Objects and KV. Secrets come from here, not
// from .dev.vars, so a clean clone (CI) runs the same as a developer's checkout.
export default defineConfig({
  resolve: { alias: { "@shared": sharedDir() } },
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
        // Rate limits: the suite as a whole sends thousands of requests with one admin key, so the
        // deployed RATE_LIMITER (wrangler.toml) is raised here rather than throttling unrelated
        // tests. RATE_LIMITER_TIGHT exists only in tests: test/security/rate-limit.test.ts swaps it in
        // for RATE_LIMITER in the env it passes to the Worker, so the real middleware meets a small
        // limit without a second binding in production config.
        ratelimits: {
          RATE_LIMITER: { namespace_id: "1001", simple: { limit: 1_000_000, period: 60 } },
          RATE_LIMITER_TIGHT: { namespace_id: "1002", simple: { limit: 5, period: 60 } },
        },
        // Fail closed: any outbound fetch a test did not mock gets a 599 instead of the network.
        outboundService: () => new Response("outbound fetch blocked in tests", { status: 599 }),
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "test/readme/**", "test/aws-sdk/**", "test/live/**", "test/client/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // KV index and cache writes are paced at one per key per second and run from alarms, so a
    // poll must outlast that pacing on a loaded 2-core machine; 1 s (the default) is too tight.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
