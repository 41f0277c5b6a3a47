// What one index shard takes, on the object itself: every change an entity delivers is one `apply`
// RPC (one entry), so applies per second from many senders at once is a shard's write capacity;
// a query reads one shard, so its latency as the shard grows is what a query over a large index
// costs. Prints a markdown table for BENCHMARKS.md; asserts only what must hold.
//
// workerd's clock only moves across I/O, so every figure is a fixed amount of work over the time
// it took as a whole, never the timing of one call.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EntryChange, IndexEntry, ShardQuery } from "../../src/core/indexes/contract";
import { encodeScalar } from "../../src/core/indexes/scalar";
import type { IndexShard } from "../../src/objects/index-shard";

const CHANGES = Number(process.env.SHARD_BENCH_CHANGES ?? 20_000);
const SENDERS = 64;
const QUERIES = 200;
const LARGE = Number(process.env.SHARD_BENCH_ENTRIES ?? 100_000);
const keyHash = new Uint8Array(16).fill(42);
// About the size of the sealed value of the ~200-byte documents the HTTP benchmark writes.
const body = `es1.k1.${"A".repeat(16)}.${"B".repeat(380)}`;
const rows: string[] = [];

const entry = (n: number): IndexEntry => ({
  keyHash,
  sort: encodeScalar(`2026-01-01T00:00:${String(n).padStart(9, "0")}`),
  version: 1,
  updatedAt: n,
  expiresAt: null,
  body,
});

/** Mean milliseconds per query over QUERIES queries, one after another. */
async function meanQuery(stub: DurableObjectStub<IndexShard>, q: ShardQuery): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < QUERIES; i++) {
    const page = await stub.query(q);
    if (page.retired) throw new Error("retired");
    expect(page.items.length).toBe(q.limit);
  }
  return (Date.now() - started) / QUERIES;
}

describe("one index shard", () => {
  it("applies changes from many senders at once", async () => {
    const stub = env.INDEX_SHARDS.getByName("bench/t/i/g0/0");
    await stub.apply([{ id: "warm", rank: 2, entry: entry(0) }]);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < CHANGES) {
          const n = next++;
          const change: EntryChange = {
            id: `e${n % 10_000}`,
            rank: 2 * (Math.floor(n / 10_000) + 1),
            entry: entry(n),
          };
          expect(await stub.apply([change])).toBe("applied");
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    rows.push(
      `| apply, ${SENDERS} senders at once, 1 change per call | ${(CHANGES / seconds).toFixed(0)} changes/s | ${CHANGES.toLocaleString("en")} changes over 10,000 entities in ${seconds.toFixed(1)} s |`,
    );
    expect(await stub.count()).toBe(10_001);
  });

  it("answers a query as fast at 100,000 entries as at 1,000", async () => {
    for (const size of [1_000, LARGE]) {
      const stub = env.INDEX_SHARDS.getByName(`bench/t/i/g${size}/0`);
      for (let from = 0; from < size; from += 1_000) {
        const batch = Array.from({ length: Math.min(1_000, size - from) }, (_, i) => ({
          id: `e${String(from + i).padStart(7, "0")}`,
          rank: 2,
          entry: entry(from + i),
        }));
        await stub.apply(batch);
      }
      expect(await stub.count()).toBe(size);
      const middle = { value: entry(Math.floor(size / 2)).sort, inclusive: true };
      const ids = await meanQuery(stub, { keyHash, from: middle, order: "desc", limit: 100, bodies: false });
      const docs = await meanQuery(stub, { keyHash, from: middle, order: "asc", limit: 100, bodies: true });
      const what = `${size.toLocaleString("en")} entries under one key value`;
      rows.push(
        `| query, ${what}, 100 ids from the middle | ${ids.toFixed(2)} ms each | mean of ${QUERIES} queries in a row |`,
        `| query, ${what}, 100 documents from the middle | ${docs.toFixed(2)} ms each | mean of ${QUERIES} queries in a row |`,
      );
    }
    console.log(`\n| measurement | result | how |\n|---|---|---|\n${rows.join("\n")}\n`);
  });
});
