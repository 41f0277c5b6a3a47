// A sort value may be as long as a document allows (MAX_BODY_BYTES), and a cursor holds the last
// item's whole sort value, so paging past a long one must work: the cursor was once that value
// base64 inside base64, built with String.fromCharCode(...bytes) — a 500 (RangeError) for a
// 200,000-character value, and past 4096 characters a cursor the query route refused (400).
import { describe, expect, it } from "vitest";
import { newEntity, newType, put } from "../support/entities";
import { buildToEnd, defineIndex, delivered, query } from "../support/indexes";

interface Page {
  items: { id: string; sort?: string }[];
  cursor: string | null;
}

async function page(res: Response): Promise<Page> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  return JSON.parse(text) as Page;
}

describe("paging past an entity with a long sort value", () => {
  // 2,500: a cursor past the old 4,096-character limit; 200,000: a cursor longer than
  // MAX_BODY_BYTES (256 KiB), which a query body has room for.
  for (const length of [2_500, 60_000, 200_000]) {
    it(`returns every match once, page by page, in order (sort values of ${length} characters)`, async () => {
      const type = newType("qs");
      expect((await defineIndex(type, "by-k", { keys: ["/k"], sort: "/s" })).status).toBe(201);
      await buildToEnd(type, "by-k");
      const long = "a".repeat(length);
      const [a, b, c] = [newEntity(type), newEntity(type), newEntity(type)];
      for (const [e, s] of [
        [a, `${long}1`],
        [b, `${long}2`],
        [c, "b"],
      ] as const) {
        expect((await put(e, { k: "big", s })).status).toBe(201);
      }
      await delivered([a, b, c]);
      for (const [order, expected] of [
        ["asc", [a, b, c]],
        ["desc", [c, b, a]],
      ] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const next = await page(
            await query(type, "by-k", { where: { "/k": "big" }, order, limit: 1, cursor }),
          );
          seen.push(...next.items.map((i) => i.id));
          cursor = next.cursor;
        } while (cursor !== null && seen.length <= expected.length);
        expect(seen).toEqual(expected.map((e) => e.id));
      }
    });
  }
});
