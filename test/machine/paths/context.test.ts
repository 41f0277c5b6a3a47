import { describe, expect, it } from "vitest";
import { resolveContextPath, resolvePath } from "../../../src/machine/paths/context.ts";
import { context } from "./context-fixture.ts";

describe("context object paths", () => {
  it("resolves $$ to the whole context object", () => {
    expect(resolveContextPath(context, "$$")).toEqual({ found: true, value: context });
  });

  it("resolves fields of the context object", () => {
    expect(resolveContextPath(context, "$$.State.RetryCount")).toEqual({ found: true, value: 0 });
    expect(resolveContextPath(context, "$$.Execution.Input.orderId")).toEqual({ found: true, value: "o-1" });
  });

  it("does not resolve input paths against the context", () => {
    expect(resolveContextPath(context, "$.State")).toEqual({ found: false });
  });

  it("picks the input for $ and the context for $$", () => {
    expect(resolvePath("$.State", { State: "input" }, context)).toEqual({ found: true, value: "input" });
    expect(resolvePath("$$.State.Name", { State: "input" }, context)).toEqual({
      found: true,
      value: "Build",
    });
  });
});
