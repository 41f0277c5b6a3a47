import { describe, expect, it } from "vitest";
import { LATEST_SCHEDULABLE_MS } from "../../../src/machine/schedulable.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
const def = (States: Record<string, unknown>) =>
  ({ StartAt: Object.keys(States)[0], States }) as unknown as StateMachineDefinition;

describe("deadlines past what an alarm can hold", () => {
  it("is 2262-04-11T23:47:16.854Z, the last millisecond of int64 nanoseconds", () => {
    expect(new Date(LATEST_SCHEDULABLE_MS).toISOString()).toBe("2262-04-11T23:47:16.854Z");
    expect(BigInt(LATEST_SCHEDULABLE_MS) * 1_000_000n).toBeLessThanOrEqual(2n ** 63n - 1n);
    expect(BigInt(LATEST_SCHEDULABLE_MS + 1) * 1_000_000n).toBeGreaterThan(2n ** 63n - 1n);
  });

  it("fails a task whose TimeoutSecondsPath ends past it", async () => {
    const r = await run(
      def({ T: { Type: "Task", Resource: HTTP, TimeoutSecondsPath: "$.t", End: true } }),
      { t: 1e13 },
      { tasks: () => "hang" },
    );
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.invokes).toEqual([]);
  });

  it("fails instead of scheduling a retry past it", async () => {
    const r = await run(
      def({
        T: {
          Type: "Task",
          Resource: HTTP,
          Retry: [{ ErrorEquals: ["X"], IntervalSeconds: 99_999_999, BackoffRate: 1000, MaxAttempts: 5 }],
          End: true,
        },
      }),
      {},
      { tasks: () => ({ error: "X" }) },
    );
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.snapshot.cause).toContain("2262-04-11T23:47:16.854Z");
    expect(r.wakes.every((at) => at <= LATEST_SCHEDULABLE_MS)).toBe(true);
  });
});
