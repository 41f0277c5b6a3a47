import { describe, expect, it } from "vitest";
import { type HolderState, judgeClaim } from "../../../src/core/indexes/unique";

const holder = (h: Partial<HolderState>): HolderState => ({
  claiming: false,
  live: false,
  stagedBy: null,
  ...h,
});

describe("judgeClaim", () => {
  it("takes a value its named holder no longer has", () => {
    expect(judgeClaim(holder({}), null)).toBe("take");
    expect(judgeClaim(holder({}), "t1")).toBe("take");
  });

  it("refuses a value the holder's live document has, whoever asks", () => {
    expect(judgeClaim(holder({ live: true }), null)).toBe("taken");
    // Even the holder's own transaction moving it away: values move in two steps, as in SQL.
    expect(judgeClaim(holder({ live: true, stagedBy: "t1" }), "t1")).toBe("taken");
  });

  it("refuses a value staged by the claimant's own transaction, and waits for another's", () => {
    expect(judgeClaim(holder({ stagedBy: "t1" }), "t1")).toBe("taken");
    expect(judgeClaim(holder({ stagedBy: "t1" }), "t2")).toBe("wait");
    expect(judgeClaim(holder({ stagedBy: "t1" }), null)).toBe("wait");
  });

  it("waits while the holder is claiming the value", () => {
    expect(judgeClaim(holder({ claiming: true }), null)).toBe("wait");
  });
});
