import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { ADMIN, checkReply, ECHO, fetchRaw, machineSnapshot, seedMachine } from "./machines-support";

// Property-based hostile definitions. Random JSON and near-valid Amazon States Language go to the
// validator and to PUT: the validator never throws (no 5xx), a refused PUT leaves the machine as
// it was (the same latest version and definition, or still 404), and an accepted definition can
// be started and described without a 5xx. Runs are bounded to keep the file fast; a failure
// prints fast-check's seed and shrunk counterexample.
const RUNS = 100;
const tenant = unique("mfuzz");

const json = fc.jsonValue({ maxDepth: 3 });
const nastyKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "", "~1", "a/b");
const nastyObject = fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 8 })), json, { maxKeys: 6 });

const CALLBACK_RESOURCE = "arn:aws:states:::http:invoke.waitForTaskToken";
const TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"] as const;
const stateName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("A", "B", "C", "Done") },
  fc.constantFrom("", "x".repeat(81), "__proto__", "constructor", "a/b", "Ünïcode"),
  fc.string({ maxLength: 6 }),
);

/** JSONPaths, reference paths and context paths: valid, invalid and expensive ones. */
const path = fc.oneof(
  fc.constantFrom(
    "$",
    "$.a",
    "$.a.b",
    "$.a[0]",
    "$.a[-1]",
    "$.a[*]",
    "$.a[0:2]",
    "$.a[1:]",
    "$..a",
    "$['a']",
    "$.a[?(@.b > 1)]",
    "$.a[?(@.b == 'x')]",
    "$.a[?(@.b)]",
    `$${"[?(@.a".repeat(40)}${")]".repeat(40)}`,
    `$${".a".repeat(500)}`,
    "$$",
    "$$.Execution.Id",
    "$$.Execution.Input",
    "$$.State.EnteredTime",
    "$$.Map.Item.Value",
    "$$.Task.Token",
    "$.",
    "$[",
    "$..",
    "@",
    "",
    "a.b",
    "$.__proto__",
    "$.constructor.prototype",
  ),
  fc.string({ maxLength: 12 }).map((s) => `$.${s}`),
  fc.string({ maxLength: 12 }),
);

const FUNCTIONS = [
  "States.Format",
  "States.StringToJson",
  "States.JsonToString",
  "States.Array",
  "States.ArrayPartition",
  "States.ArrayContains",
  "States.ArrayRange",
  "States.ArrayGetItem",
  "States.ArrayLength",
  "States.ArrayUnique",
  "States.Base64Encode",
  "States.Base64Decode",
  "States.Hash",
  "States.JsonMerge",
  "States.MathRandom",
  "States.MathAdd",
  "States.StringSplit",
  "States.UUID",
  "States.Nope",
];
const literal = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(String),
  fc.constantFrom("1e308", "-0", "0.5", "null", "true", "'SHA-1'", "'{}'", "'\\{'", "'it\\'s'", "'"),
  fc.string({ maxLength: 8 }).map((s) => `'${s}'`),
);
const intrinsic: fc.Arbitrary<string> = fc.letrec<{ call: string }>((tie) => ({
  call: fc
    .tuple(
      fc.constantFrom(...FUNCTIONS),
      fc.array(fc.oneof({ depthSize: "small" }, literal, path, tie("call")), { maxLength: 4 }),
      fc.constantFrom(")", "", "))", ")x"),
    )
    .map(([name, args, close]) => `${name}(${args.join(", ")}${close}`),
})).call;

/** Payload templates: plain values, `.$` keys with paths or intrinsic calls, nested templates. */
const template = fc.dictionary(
  fc.oneof(
    fc.constantFrom("k", "k.$", "a.$", "__proto__", "__proto__.$", ".$", "$"),
    fc.string({ maxLength: 5 }),
  ),
  fc.oneof(path, intrinsic, json),
  { maxKeys: 4 },
);

const choiceRule = fc.record(
  {
    Variable: path,
    StringEquals: fc.oneof(fc.string({ maxLength: 4 }), json),
    NumericGreaterThanPath: path,
    IsPresent: fc.boolean(),
    StringMatches: fc.constantFrom("*", "a*b", "\\*", "*".repeat(200)),
    TimestampEquals: fc.constantFrom("2024-01-01T00:00:00Z", "yesterday"),
    And: fc.array(fc.record({ Variable: path, BooleanEquals: fc.boolean() }), { maxLength: 2 }),
    Not: fc.record({ Variable: path, IsNull: fc.boolean() }),
    Next: stateName,
  },
  { requiredKeys: [] },
);

const errorName = fc.constantFrom(
  "States.ALL",
  "States.TaskFailed",
  "States.Timeout",
  "Custom",
  "",
  "States.Nope",
);
const retrier = fc.record(
  {
    ErrorEquals: fc.array(errorName, { maxLength: 3 }),
    IntervalSeconds: fc.oneof(fc.integer({ min: -5, max: 100_000_000 }), json),
    MaxAttempts: fc.oneof(fc.integer({ min: -1, max: 100 }), json),
    BackoffRate: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), json),
    MaxDelaySeconds: fc.integer({ min: 0, max: 100 }),
    JitterStrategy: fc.constantFrom("FULL", "NONE", "HALF"),
  },
  { requiredKeys: [] },
);
const catcher = fc.record(
  { ErrorEquals: fc.array(errorName, { maxLength: 3 }), Next: stateName, ResultPath: path },
  { requiredKeys: [] },
);

const anyField = fc.oneof(json, path, intrinsic);

/** A definition whose states may hold `inner` definitions (Parallel branches, Map processors). */
function machineOf(inner: fc.Arbitrary<unknown> | null): fc.Arbitrary<unknown> {
  const nested = inner ?? fc.constant({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
  const state = fc.record(
    {
      Type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TYPES) }, fc.constantFrom("Bogus", ""), json),
      Next: stateName,
      End: fc.oneof(fc.boolean(), json),
      Comment: fc.string({ maxLength: 10 }),
      InputPath: fc.oneof(path, fc.constant(null)),
      OutputPath: fc.oneof(path, fc.constant(null)),
      ResultPath: fc.oneof(path, fc.constant(null)),
      Parameters: fc.oneof(template, json),
      ResultSelector: template,
      Result: json,
      Resource: fc.constantFrom(
        "arn:aws:states:::http:invoke",
        CALLBACK_RESOURCE,
        "edgestate:entity:get",
        "arn:aws:lambda:us-east-1:123456789012:function:x",
        "",
        "arn:aws:states:::nope",
      ),
      TimeoutSeconds: fc.oneof(fc.integer({ min: -1, max: 100_000_000 }), json),
      HeartbeatSeconds: fc.oneof(fc.integer({ min: -1, max: 100_000_000 }), json),
      TimeoutSecondsPath: path,
      Retry: fc.oneof(fc.array(retrier, { maxLength: 2 }), json),
      Catch: fc.oneof(fc.array(catcher, { maxLength: 2 }), json),
      Choices: fc.oneof(fc.array(choiceRule, { maxLength: 3 }), json),
      Default: stateName,
      Seconds: fc.oneof(fc.integer({ min: -1, max: 100_000_000 }), json),
      SecondsPath: path,
      Timestamp: fc.constantFrom("2016-03-14T01:59:00Z", "2016-03-14", "not a time", "9999-12-31T23:59:59Z"),
      TimestampPath: path,
      Error: fc.oneof(fc.string({ maxLength: 8 }), json),
      Cause: fc.oneof(fc.string({ maxLength: 8 }), json),
      ErrorPath: fc.oneof(path, intrinsic),
      CausePath: fc.oneof(path, intrinsic),
      Branches: fc.array(nested, { maxLength: 2 }),
      ItemProcessor: nested,
      Iterator: nested,
      ItemsPath: path,
      ItemSelector: template,
      MaxConcurrency: fc.oneof(fc.integer({ min: -1, max: 1000 }), json),
      ToleratedFailurePercentage: fc.oneof(fc.integer({ min: -1, max: 101 }), json),
      ToleratedFailureCount: fc.oneof(fc.integer({ min: -1, max: 10 }), json),
      Arguments: json,
      Output: json,
    },
    // Most fields stay out of most states, so a fair share of definitions gets past the field rules.
    { requiredKeys: ["Type"] },
  );
  return fc.record(
    {
      StartAt: stateName,
      States: fc.dictionary(stateName, state, { minKeys: 1, maxKeys: 4 }),
      Comment: fc.string({ maxLength: 10 }),
      TimeoutSeconds: fc.oneof(fc.integer({ min: -1, max: 100_000_000 }), json),
      QueryLanguage: fc.constantFrom("JSONPath", "JSONata", "XPath"),
      Version: fc.constantFrom("1.0", "2.0"),
      Extra: anyField,
    },
    { requiredKeys: ["StartAt", "States"] },
  );
}
const definition = machineOf(machineOf(null));

// Valid definitions with one random mutation (or none): these get past the field rules, so the
// engine meets hostile paths and intrinsic calls at run time, not only the validator.
const goodPath = fc.constantFrom(
  "$",
  "$.a",
  "$.a[0]",
  "$.a[*]",
  "$..b",
  "$.a[?(@.b > 1)]",
  "$.s",
  "$.missing",
);
const goodIntrinsic = fc.constantFrom(
  "States.Format('x{}', $.s)",
  "States.StringToJson($.s)",
  "States.ArrayRange(0, 100000000, 1)",
  "States.ArrayLength($.a)",
  "States.MathAdd(1, $.n)",
  "States.Hash($.s, 'SHA-256')",
  "States.JsonMerge($.a, $.a, false)",
  "States.Array($.a, $.s)",
  "States.ArrayGetItem($.a, 5)",
  "States.Base64Decode($.s)",
  "States.StringSplit($.s, ',')",
);
/** Reference paths (ResultPath, InputPath, Variable) name one node at most. */
const goodReference = fc.constantFrom("$", "$.a", "$.a[0]", "$.s", "$.n", "$.missing");
const goodTemplate = fc
  .dictionary(
    fc.constantFrom("k1", "k2", "k3"),
    fc.oneof(
      json.map((value) => ({ key: "", value })),
      fc.oneof(goodPath, goodIntrinsic).map((value) => ({ key: ".$", value })),
    ),
    { maxKeys: 3 },
  )
  .map((t) => Object.fromEntries(Object.entries(t).map(([k, v]) => [`${k}${v.key}`, v.value])));
/** State names are unique across a whole machine, branches included. */
let innerCount = 0;
const inner = () => {
  const name = `In${innerCount++}`;
  return { StartAt: name, States: { [name]: { Type: "Pass", End: true } } };
};

const goodState = (next: string) =>
  fc.oneof(
    fc.record(
      {
        Type: fc.constant("Pass"),
        Next: fc.constant(next),
        Parameters: goodTemplate,
        ResultPath: goodPath,
        InputPath: goodPath,
      },
      { requiredKeys: ["Type", "Next"] },
    ),
    // Zero seconds: a run ends within the property's ?wait, yet still goes through an alarm.
    fc.record({ Type: fc.constant("Wait"), Next: fc.constant(next), Seconds: fc.constant(0) }),
    fc.record({
      Type: fc.constant("Choice"),
      Choices: goodReference.map((Variable) => [{ Variable, NumericGreaterThan: 1, Next: next }]),
      Default: fc.constant(next),
    }),
    fc.record(
      {
        Type: fc.constant("Task"),
        Next: fc.constant(next),
        Resource: fc.constant("edgestate:entity:get"),
        Parameters: fc.constant({ Type: "fuzz", "Id.$": "$.s" }),
        ResultSelector: goodTemplate,
        Catch: fc.constant([{ ErrorEquals: ["States.ALL"], Next: next }]),
      },
      { requiredKeys: ["Type", "Next", "Resource", "Parameters"] },
    ),
    fc.record({
      Type: fc.constant("Parallel"),
      Next: fc.constant(next),
      Branches: fc.constant(null).map(() => [inner(), inner()]),
    }),
    fc.record(
      {
        Type: fc.constant("Map"),
        Next: fc.constant(next),
        ItemsPath: goodPath,
        ItemSelector: goodTemplate,
        ItemProcessor: fc.constant(null).map(inner),
      },
      { requiredKeys: ["Type", "Next", "ItemProcessor"] },
    ),
  );

const FIELDS = [
  "Type",
  "Next",
  "End",
  "Parameters",
  "ResultPath",
  "InputPath",
  "Seconds",
  "Choices",
  "ItemsPath",
  "Catch",
  "Branches",
];
const mutation = fc.option(
  fc.record({
    at: fc.nat(),
    field: fc.constantFrom(...FIELDS),
    value: fc.option(fc.oneof(anyField, stateName, template), { nil: undefined }),
  }),
  { nil: undefined, freq: 3 },
);

const nearValid = fc
  .tuple(fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }), mutation)
  .chain(([kinds, mutate]) =>
    fc.tuple(...kinds.map((_, i) => goodState(i + 1 < kinds.length ? `S${i + 1}` : "Done"))).map((states) => {
      const all: Record<string, Record<string, unknown>> = { Done: { Type: "Succeed" } };
      states.forEach((state, i) => {
        all[`S${i}`] = state as Record<string, unknown>;
      });
      if (mutate) {
        const target = all[`S${mutate.at % states.length}`]!;
        if (mutate.value === undefined) delete target[mutate.field];
        else target[mutate.field] = mutate.value;
      }
      return { StartAt: "S0", States: all };
    }),
  );

/** Mostly ASL (near-valid, then wilder), so most runs get past the JSON gates into the definition rules. */
const anyDefinition = fc.oneof(
  { weight: 4, arbitrary: nearValid },
  { weight: 2, arbitrary: definition },
  json,
  nastyObject,
);

describe("hostile state machine definitions (fast-check)", () => {
  it("the validator answers 200 with a verdict for any JSON, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(anyDefinition, async (doc) => {
        const res = await api("POST", "/v1/definitions/validate", { tenant, raw: JSON.stringify(doc) });
        const text = await checkReply(res);
        expect(res.status, text).toBe(200);
        const verdict = JSON.parse(text) as {
          valid: boolean;
          diagnostics: { severity: string; pointer: string }[];
        };
        expect(typeof verdict.valid).toBe("boolean");
        for (const d of verdict.diagnostics) expect(d.pointer).toMatch(/^(\/|$)/);
        expect(verdict.valid).toBe(verdict.diagnostics.every((d) => d.severity !== "ERROR"));
      }),
      { numRuns: RUNS },
    );
  });

  const seeded = unique("seeded");
  let accepted = 0;
  it("a refused PUT changes nothing; an accepted one agrees with the validator and can be started", async () => {
    await seedMachine(tenant, seeded);
    await fc.assert(
      fc.asyncProperty(anyDefinition, fc.boolean(), async (doc, fresh) => {
        const name = fresh ? unique("fresh") : seeded;
        const raw = JSON.stringify(doc);
        const verdict = (await (await api("POST", "/v1/definitions/validate", { tenant, raw })).json()) as {
          valid: boolean;
        };
        const before = await machineSnapshot(tenant, name);
        const res = await api("PUT", `/v1/machines/${name}`, { tenant, raw });
        const text = await checkReply(res);
        if (res.status >= 400) {
          expect(verdict.valid, text).toBe(false);
          expect(await machineSnapshot(tenant, name)).toEqual(before);
          if (fresh) expect(before.status).toBe(404);
          return;
        }
        expect(verdict.valid, text).toBe(true);
        accepted++;
        // An accepted definition runs, or fails, cleanly: the interpreter never throws out of the object.
        const started = await api("POST", `/v1/machines/${name}/executions?wait=2`, {
          tenant,
          body: { input: { a: [1, { b: 2 }], s: '{"x":1}', n: 3 } },
        });
        const run = JSON.parse(await checkReply(started)) as { name: string; status: string; error?: string };
        expect([200, 202], JSON.stringify(run)).toContain(started.status);
        if (run.status === "FAILED") expect(run.error, JSON.stringify(run)).toMatch(/^(States|Edgestate)\./);
        const events = await api("GET", `/v1/machines/${name}/executions/${run.name}/history`, { tenant });
        expect(events.status, await checkReply(events)).toBe(200);
        // Back to a known definition, so the next run's accepted PUT is a real change.
        if (!fresh) await seedMachine(tenant, seeded, ECHO);
      }),
      { numRuns: RUNS },
    );
    // The generator is only useful if a fair share of its definitions reaches the engine.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  const contentType = fc.constantFrom(
    "application/json",
    "application/json; charset=utf-16",
    "application/merge-patch+json",
    "text/plain",
    "application/octet-stream",
    "multipart/form-data; boundary=x",
    "",
  );

  it("random bytes as a definition, with any content type, are refused cleanly and change nothing", async () => {
    const name = unique("bytes");
    await seedMachine(tenant, name);
    const before = await machineSnapshot(tenant, name);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 256 }),
        contentType,
        fc.constantFrom(`/v1/machines/${name}`, "/v1/definitions/validate"),
        async (bytes, type, target) => {
          const headers: Record<string, string> = { Authorization: ADMIN, "Edgestate-Tenant": tenant };
          if (type) headers["Content-Type"] = type;
          const method = target === "/v1/definitions/validate" ? "POST" : "PUT";
          await checkReply(await fetchRaw(target, { method, headers, body: bytes }));
          expect(await machineSnapshot(tenant, name)).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
