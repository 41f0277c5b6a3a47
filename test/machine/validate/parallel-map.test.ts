import { describe, expect, it } from "vitest";
import { errorKeys, warningKeys, withState } from "./helpers.ts";

const sub = { StartAt: "In", States: { In: { Type: "Pass", End: true } } };
const parallel = (fields: Record<string, unknown>) =>
  withState({ Type: "Parallel", ...fields, Next: "Done" });
const map = (fields: Record<string, unknown>) => withState({ Type: "Map", ...fields, Next: "Done" });

describe("Parallel state", () => {
  it("accepts branches that are complete state machines", () => {
    expect(
      errorKeys(parallel({ Branches: [sub, { StartAt: "In2", States: { In2: { Type: "Succeed" } } }] })),
    ).toEqual([]);
  });

  it("requires a non-empty Branches array of objects", () => {
    expect(errorKeys(parallel({}))).toEqual(["MISSING_FIELD /States/S"]);
    expect(errorKeys(parallel({ Branches: [] }))).toEqual(["INVALID_TYPE /States/S/Branches"]);
    expect(errorKeys(parallel({ Branches: [[sub]] }))).toEqual(["INVALID_TYPE /States/S/Branches/0"]);
  });

  it("validates each branch like a machine: StartAt, terminal state, unreachable states", () => {
    const branch = {
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 1, Next: "W" }, X: { Type: "Succeed" } },
    };
    expect(errorKeys(parallel({ Branches: [branch] }))).toEqual([
      "UNREACHABLE_STATE /States/S/Branches/0/States/X",
      "MISSING_END_STATE /States/S/Branches/0/States",
    ]);
    expect(errorKeys(parallel({ Branches: [{ States: sub.States }] }))).toEqual([
      "MISSING_FIELD /States/S/Branches/0",
    ]);
  });

  it("refuses a transition out of a branch", () => {
    const branch = { StartAt: "In", States: { In: { Type: "Pass", Next: "Done" } } };
    expect(errorKeys(parallel({ Branches: [branch] }))).toContain(
      "TRANSITION_CROSSES_SCOPE /States/S/Branches/0/States/In/Next",
    );
  });

  it("refuses a transition into a branch from outside", () => {
    const def = withState({ Type: "Parallel", Branches: [sub], Next: "In" });
    expect(errorKeys(def)).toContain("TRANSITION_CROSSES_SCOPE /States/S/Next");
  });

  it("refuses fields a branch does not have", () => {
    expect(errorKeys(parallel({ Branches: [{ ...sub, TimeoutSeconds: 5 }] }))).toEqual([
      "UNKNOWN_FIELD /States/S/Branches/0/TimeoutSeconds",
    ]);
  });
});

describe("Map state", () => {
  it("accepts ItemProcessor (INLINE) with ItemsPath, ItemSelector, MaxConcurrency and tolerated failures", () => {
    const def = map({
      ItemsPath: "$.items",
      ItemSelector: { "value.$": "$$.Map.Item.Value" },
      MaxConcurrency: 0,
      ToleratedFailurePercentage: 12.5,
      ToleratedFailureCount: 3,
      ItemProcessor: { ...sub, ProcessorConfig: { Mode: "INLINE" } },
    });
    expect(errorKeys(def)).toEqual([]);
    expect(warningKeys(def)).toEqual([]);
  });

  it("accepts the legacy Iterator with Parameters", () => {
    expect(errorKeys(map({ Iterator: sub, Parameters: { "v.$": "$$.Map.Item.Value" } }))).toEqual([]);
  });

  it("requires exactly one of ItemProcessor and Iterator", () => {
    expect(errorKeys(map({}))).toEqual(["MISSING_FIELD /States/S"]);
    expect(errorKeys(map({ ItemProcessor: sub, Iterator: sub }))).toContain(
      "EXCLUSIVE_FIELDS /States/S/Iterator",
    );
  });

  it("refuses ItemSelector together with Parameters", () => {
    expect(errorKeys(map({ ItemProcessor: sub, ItemSelector: {}, Parameters: {} }))).toEqual([
      "EXCLUSIVE_FIELDS /States/S/Parameters",
    ]);
  });

  it("checks MaxConcurrency, ToleratedFailurePercentage and ToleratedFailureCount ranges and …Path exclusivity", () => {
    expect(errorKeys(map({ ItemProcessor: sub, MaxConcurrency: -1 }))).toEqual([
      "INVALID_VALUE /States/S/MaxConcurrency",
    ]);
    expect(errorKeys(map({ ItemProcessor: sub, ToleratedFailurePercentage: 101 }))).toEqual([
      "INVALID_VALUE /States/S/ToleratedFailurePercentage",
    ]);
    expect(errorKeys(map({ ItemProcessor: sub, ToleratedFailureCount: -1 }))).toEqual([
      "INVALID_VALUE /States/S/ToleratedFailureCount",
    ]);
    expect(
      errorKeys(map({ ItemProcessor: sub, ToleratedFailureCount: 1, ToleratedFailureCountPath: "$.n" })),
    ).toEqual(["EXCLUSIVE_FIELDS /States/S/ToleratedFailureCountPath"]);
  });

  it("refuses an unknown ProcessorConfig Mode", () => {
    expect(errorKeys(map({ ItemProcessor: { ...sub, ProcessorConfig: { Mode: "FAST" } } }))).toEqual([
      "INVALID_VALUE /States/S/ItemProcessor/ProcessorConfig/Mode",
    ]);
  });

  it("warns, without refusing, on distributed mode and its fields, whose shape is still checked", () => {
    const distributed = { ...sub, ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" } };
    expect(errorKeys(map({ ItemProcessor: distributed }))).toEqual([]);
    expect(warningKeys(map({ ItemProcessor: distributed }))).toEqual([
      "DISTRIBUTED_MAP_UNSUPPORTED /States/S/ItemProcessor/ProcessorConfig/Mode",
    ]);
    const reader = {
      Resource: "arn:aws:states:::s3:getObject",
      ReaderConfig: { MaxItems: 1, MaxItemsPath: "$.n" },
    };
    expect(errorKeys(map({ ItemProcessor: distributed, ItemReader: reader }))).toEqual([
      "EXCLUSIVE_FIELDS /States/S/ItemReader/ReaderConfig/MaxItemsPath",
    ]);
  });

  it("refuses a transition out of the item processor", () => {
    const processor = { StartAt: "In", States: { In: { Type: "Pass", Next: "S" } } };
    expect(errorKeys(map({ ItemProcessor: processor }))).toContain(
      "TRANSITION_CROSSES_SCOPE /States/S/ItemProcessor/States/In/Next",
    );
  });

  it("requires ItemsPath to be a valid path", () => {
    expect(errorKeys(map({ ItemProcessor: sub, ItemsPath: "items" }))).toEqual([
      "INVALID_JSONPATH /States/S/ItemsPath",
    ]);
  });
});
