import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { checkReply } from "./machines-support";

// Intrinsic functions, paths and Choice rules fed hostile payloads: each execution ends quickly and
// cleanly — SUCCEEDED, or FAILED with the Step Functions error name — and the Worker never 5xxs.
const tenant = unique("payload");

interface Ended {
  status: string;
  error: string | null;
  cause: string | null;
  output: unknown;
}

/** PUTs a one-state machine and runs it with `input`, holding the reply until it ends. */
async function run(
  state: Record<string, unknown>,
  input: unknown,
  extra: Record<string, unknown> = {},
): Promise<Ended> {
  const name = unique("p");
  const definition = { StartAt: "S", States: { S: { ...state, End: true } }, ...extra };
  const put = await api("PUT", `/v1/machines/${name}`, { tenant, body: definition });
  const putText = await checkReply(put);
  expect(put.status, putText).toBe(201);
  const started = Date.now();
  const res = await api("POST", `/v1/machines/${name}/executions?wait=20`, { tenant, body: { input } });
  const text = await checkReply(res);
  expect(res.status, text).toBe(200);
  expect(Date.now() - started).toBeLessThan(10_000);
  // The history of a failed run is readable too (its events hold the hostile values, sealed).
  await checkReply(
    await api(
      "GET",
      `/v1/machines/${name}/executions/${(JSON.parse(text) as { name: string }).name}/history`,
      { tenant },
    ),
  );
  return JSON.parse(text) as Ended;
}

const pass = (template: Record<string, unknown>) => ({ Type: "Pass", Parameters: template });
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("hostile payloads for intrinsics and paths", () => {
  it("States.ArrayRange(0, 100000000, 1) fails with States.IntrinsicFailure instead of allocating", async () => {
    const ended = await run(pass({ "r.$": "States.ArrayRange(0, 100000000, 1)" }), {});
    expect(ended).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
    expect(ended.cause).toMatch(/ArrayRange/);
  });

  it("States.ArrayRange up to Number.MAX_SAFE_INTEGER, or with a path-supplied bound, fails the same way", async () => {
    expect(await run(pass({ "r.$": "States.ArrayRange(0, 9007199254740991, 1)" }), {})).toMatchObject({
      status: "FAILED",
      error: "States.IntrinsicFailure",
    });
    expect(await run(pass({ "r.$": "States.ArrayRange(0, $.n, 1)" }), { n: 1e15 })).toMatchObject({
      status: "FAILED",
      error: "States.IntrinsicFailure",
    });
  });

  it("a huge States.Format argument ends with States.DataLimitExceeded, not a 5xx", async () => {
    const big = "x".repeat(200_000);
    const ended = await run(pass({ "s.$": "States.Format('{}{}', $.big, $.big)" }), { big });
    expect(ended).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });

  it("States.Format with a thousand placeholders and the wrong count fails with States.IntrinsicFailure", async () => {
    const ended = await run(pass({ "s.$": `States.Format('${"{}".repeat(1000)}', $.a)` }), { a: 1 });
    expect(ended).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
  });

  it("States.StringToJson of a string nested 10,000 deep ends cleanly", async () => {
    // Past the API's 64-level limit the value would break every recursive walk after it.
    const ended = await run(pass({ "v.$": "States.StringToJson($.s)" }), { s: nested(10_000) });
    expect(ended).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
    expect(ended.cause).toMatch(/64/);
    expect(await run(pass({ "v.$": "States.StringToJson($.s)" }), { s: nested(64) })).toMatchObject({
      status: "SUCCEEDED",
    });
  });

  it("States.StringToJson of a number beyond float range ends cleanly", async () => {
    // Infinity would be stored as null: the value is refused like a request body holding it.
    const ended = await run(pass({ "v.$": "States.StringToJson($.s)" }), { s: "1e400" });
    expect(ended).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
  });

  it("States.Hash of a large string and States.Base64Decode of garbage end cleanly", async () => {
    // Step Functions hashes at most 10,000 characters.
    expect(
      await run(pass({ "h.$": "States.Hash($.s, 'SHA-512')" }), { s: "y".repeat(200_000) }),
    ).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
    expect(await run(pass({ "d.$": "States.Base64Decode($.s)" }), { s: "%%%not base64%%%" })).toMatchObject({
      status: "FAILED",
      error: "States.IntrinsicFailure",
    });
  });

  it("States.MathAdd past the integer range fails with States.IntrinsicFailure or stays exact", async () => {
    const ended = await run(pass({ "n.$": "States.MathAdd($.n, 1)" }), { n: 1e308 });
    expect(["SUCCEEDED", "FAILED"]).toContain(ended.status);
    if (ended.status === "FAILED") expect(ended.error).toBe("States.IntrinsicFailure");
  });

  it("States.ArrayPartition and ArrayUnique over large arrays end within the data limit rules", async () => {
    const a = Array.from({ length: 20_000 }, (_, i) => i % 100);
    expect(await run(pass({ "p.$": "States.ArrayPartition($.a, 1)" }), { a })).toMatchObject({
      status: expect.any(String),
    });
    expect(await run(pass({ "u.$": "States.ArrayUnique($.a)" }), { a })).toMatchObject({
      status: "SUCCEEDED",
    });
  });

  it("a deeply nested JSONPath filter is refused by the validator or evaluated without blowing up", async () => {
    const filter = `$.a${"[?(@.a".repeat(30)}${" > 1)]".repeat(30)}`;
    const name = unique("deep");
    const put = await api("PUT", `/v1/machines/${name}`, {
      tenant,
      body: { StartAt: "S", States: { S: { Type: "Pass", Parameters: { "x.$": filter }, End: true } } },
    });
    const text = await checkReply(put);
    if (put.status === 400) return;
    expect(put.status, text).toBe(201);
    let value: unknown = 2;
    for (let i = 0; i < 30; i++) value = { a: [value] };
    const res = await api("POST", `/v1/machines/${name}/executions?wait=20`, {
      tenant,
      body: { input: value },
    });
    const ended = JSON.parse(await checkReply(res)) as Ended;
    expect(["SUCCEEDED", "FAILED"]).toContain(ended.status);
  });

  it("a recursive descent over a wide, deep input ends cleanly", async () => {
    // 12 levels of two copies: 4,096 leaves, about 100 KB of JSON.
    let value: unknown = { b: 1 };
    for (let i = 0; i < 12; i++) value = { b: i, c: [value, value] };
    const ended = await run(pass({ "all.$": "$..b" }), value);
    expect(["SUCCEEDED", "FAILED"]).toContain(ended.status);
    if (ended.status === "FAILED") expect(ended.error).toBe("States.DataLimitExceeded");
  });

  it("StringMatches with a thousand stars against a long string does not backtrack forever", async () => {
    const name = unique("glob");
    const put = await api("PUT", `/v1/machines/${name}`, {
      tenant,
      body: {
        StartAt: "C",
        States: {
          C: {
            Type: "Choice",
            Choices: [{ Variable: "$.s", StringMatches: `${"a*".repeat(1000)}b`, Next: "Yes" }],
            Default: "No",
          },
          Yes: { Type: "Succeed" },
          No: { Type: "Fail", Error: "NoMatch" },
        },
      },
    });
    expect(put.status, await checkReply(put)).toBe(201);
    const started = Date.now();
    const res = await api("POST", `/v1/machines/${name}/executions?wait=20`, {
      tenant,
      body: { input: { s: "a".repeat(100_000) } },
    });
    const ended = JSON.parse(await checkReply(res)) as Ended;
    expect(ended).toMatchObject({ status: "FAILED", error: "NoMatch" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a machine that loops forever fails with States.Runtime at the history limit", async () => {
    const name = unique("loop");
    const put = await api("PUT", `/v1/machines/${name}`, {
      tenant,
      body: {
        StartAt: "A",
        States: {
          A: { Type: "Pass", Next: "B" },
          B: {
            Type: "Choice",
            Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }],
            Default: "A",
          },
          Done: { Type: "Succeed" },
        },
      },
    });
    expect(put.status, await checkReply(put)).toBe(201);
    const res = await api("POST", `/v1/machines/${name}/executions?wait=25`, { tenant, body: {} });
    const ended = JSON.parse(await checkReply(res)) as Ended;
    expect(ended).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  }, 30_000);
});
