import { describe, expect, it } from "vitest";
import { createSealer } from "../../src/crypto/envelope";
import { context, randomKey, ringOf, secret } from "./rings";

// Evidence, not a benchmark gate: per-operation costs measured inside workerd, printed so a reviewer
// can see what the derived-key cache buys on the hot path. Only correctness is asserted; timings
// on a shared CI machine are too noisy to gate on.

const ROUNDS = 400;
const ring = ringOf(secret("k1", { k1: randomKey() }));

async function perOpMicros(run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run(-1 - i); // warm up the JIT before timing
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) await run(i);
  return ((performance.now() - start) * 1000) / ROUNDS;
}

describe("micro-evidence: seal and open costs", () => {
  it("measures cached and uncached paths and payload sizes", async () => {
    const small = JSON.stringify({ id: "o-1", items: Array.from({ length: 20 }, (_, i) => ({ sku: i })) });
    const large = "x".repeat(256 * 1024); // MAX_BODY_BYTES
    const sealer = createSealer(ring);
    const sealedSmall = await sealer.seal(small, context);
    const sealedLarge = await sealer.seal(large, context);

    const rows: [string, number][] = [
      ["seal 1 KiB, tenant key cached", await perOpMicros(() => sealer.seal(small, context))],
      ["open 1 KiB, tenant key cached", await perOpMicros(() => sealer.open(sealedSmall, context))],
      [
        "seal 1 KiB, new tenant (HKDF derive)",
        await perOpMicros((i) => sealer.seal(small, { ...context, tenant: `t-${i}` })),
      ],
      [
        "seal 1 KiB, new sealer (import + derive)",
        await perOpMicros(() => createSealer(ring).seal(small, context)),
      ],
      ["seal 256 KiB, cached", await perOpMicros(() => sealer.seal(large, context))],
      ["open 256 KiB, cached", await perOpMicros(() => sealer.open(sealedLarge, context))],
    ];
    console.log(
      `crypto micro-evidence (${ROUNDS} ops each, µs/op)\n${rows
        .map(([name, us]) => `  ${name.padEnd(42)} ${us.toFixed(1).padStart(8)}`)
        .join("\n")}`,
    );

    expect(await sealer.open(sealedLarge, context)).toBe(large);
    for (const [, us] of rows) expect(Number.isFinite(us)).toBe(true);
    // Overhead on stored size: prefix, key id, 16-char IV, base64url growth (4/3) and the 16-byte tag.
    expect(sealedSmall.length).toBeLessThanOrEqual(Math.ceil(((small.length + 16) * 4) / 3) + 8 + 17);
  });
});
