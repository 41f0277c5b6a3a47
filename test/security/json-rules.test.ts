import { afterEach, describe, expect, it, vi } from "vitest";
import { putMachine, start } from "../machines/support";
import { api, json, unique } from "../support/api";
import { newEntity } from "../support/entities";
import { expectProblem } from "../support/problem";

// One JSON rule wherever JSON enters (issue 11 #9, #10): a key given twice, or a number a double
// cannot hold as written, is a 400 that points at it and changes nothing, on every route that
// reads a body. Ordinary decimals keep their double value.

const MERGE = "application/merge-patch+json";

/** Each hostile value, written into a body as raw text, with what the problem must say. */
const HOSTILE: [name: string, value: string, says: RegExp][] = [
  ["an integer past 2^64", "12345678901234567890", /12345678901234567890.*stored as 12345678901234567000/],
  ["2^53 + 1", "9007199254740993", /stored as 9007199254740992/],
  ["an underflow", "1e-400", /too small/],
  ["-0", "-0", /send 0/],
  ["an overflow", "1e400", /too large/],
  ["a duplicate key", '{"k":1,"k":2}', /duplicate key "k"/],
];

/** The pointer of the problem inside `{"a": VALUE}` (the duplicate key's pointer goes one deeper). */
const pointerOf = (value: string) => (value.startsWith("{") ? "/a/k" : "/a");

interface EntryPoint {
  name: string;
  /** Sends `{"a": value}` (or its equivalent) to the route; returns the reply. */
  send(value: string): Promise<Response>;
  /** Where inside the body the `{"a": …}` sits. */
  prefix?: string;
  /** Proves nothing was written. */
  unchanged(): Promise<void>;
}

function entryPoints(): EntryPoint[] {
  const e = newEntity();
  const seeded = newEntity();
  const subject = unique("subj");
  const machine = unique("m");
  const execution = unique("x");
  const tenant = unique("tn");
  return [
    {
      name: "PUT an entity",
      send: (v) => api("PUT", e.path, { raw: `{"a":${v}}` }),
      unchanged: async () => expect((await api("GET", e.path)).status).toBe(404),
    },
    {
      name: "merge-patch an entity",
      send: async (v) => {
        await api("PUT", seeded.path, { body: { a: 0 } });
        return api("PATCH", seeded.path, { raw: `{"a":${v}}`, contentType: MERGE });
      },
      unchanged: async () => expect(await json(await api("GET", seeded.path))).toEqual({ a: 0 }),
    },
    {
      name: "JSON-patch an entity",
      prefix: "/0/value",
      send: async (v) => {
        await api("PUT", seeded.path, { body: { a: 0 } });
        return api("PATCH", seeded.path, {
          raw: `[{"op":"add","path":"/b","value":{"a":${v}}}]`,
          contentType: "application/json-patch+json",
        });
      },
      unchanged: async () => expect(await json(await api("GET", seeded.path))).toEqual({ a: 0 }),
    },
    {
      name: "create a session",
      prefix: "/data",
      send: (v) => api("POST", "/v1/sessions", { raw: `{"subject":"${subject}","data":{"a":${v}}}` }),
      unchanged: async () =>
        expect(await json(await api("GET", `/v1/subjects/${subject}/sessions`))).toEqual({ items: [] }),
    },
    {
      name: "start an execution",
      prefix: "/input",
      send: async (v) => {
        await putMachine(machine, { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
        return api("POST", `/v1/machines/${machine}/executions`, {
          raw: `{"name":"${execution}","input":{"a":${v}}}`,
        });
      },
      unchanged: async () =>
        expect((await api("GET", `/v1/machines/${machine}/executions/${execution}`)).status).toBe(404),
    },
    {
      name: "put a definition whose Pass Result holds it",
      prefix: "/States/P/Result",
      send: (v) =>
        api("PUT", `/v1/machines/${machine}-def`, {
          raw: `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":${v}},"End":true}}}`,
        }),
      unchanged: async () => expect((await api("GET", `/v1/machines/${machine}-def`)).status).toBe(404),
    },
    {
      name: "issue an API key",
      prefix: "",
      send: (v) => api("POST", "/v1/keys", { raw: `{"tenant":"${tenant}","scopes":["read"],"a":${v}}` }),
      unchanged: async () => {
        const keys = await json<{ items: { tenant: string }[] }>(await api("GET", "/v1/keys?limit=1000"));
        expect(keys.items.filter((k) => k.tenant === tenant)).toEqual([]);
      },
    },
  ];
}

describe("every route that reads a body holds to the JSON rules", () => {
  for (const [valueName, value, says] of HOSTILE) {
    it(`${valueName}: 400 with its pointer, nothing written, on every route`, async () => {
      for (const entry of entryPoints()) {
        const problem = await expectProblem(await entry.send(value), 400);
        expect(problem.detail, entry.name).toMatch(says);
        expect(problem.errors?.[0]?.pointer, entry.name).toBe(`${entry.prefix ?? ""}${pointerOf(value)}`);
        await entry.unchanged();
      }
    });
  }

  it("a duplicate key in the callback and stop bodies is refused before anything is looked up", async () => {
    const problem = await expectProblem(
      await api("POST", "/v1/callbacks/success", { raw: '{"taskToken":"x","output":1,"output":2}' }),
      400,
    );
    expect(problem.errors).toEqual([{ pointer: "/output", message: expect.stringContaining("duplicate") }]);
    const stop = await api("POST", "/v1/machines/m/executions/x/stop", { raw: '{"error":"a","error":"b"}' });
    expect((await expectProblem(stop, 400)).errors?.[0]?.pointer).toBe("/error");
  });

  it("keys that differ only in escapes are the same key", async () => {
    const e = newEntity();
    await expectProblem(await api("PUT", e.path, { raw: '{"ab":1,"a\\u0062":2}' }), 400);
  });
});

describe("numbers that a double holds are kept exactly as their double", () => {
  it("ordinary decimals, 2^53, large exact magnitudes and long fractions are stored", async () => {
    const e = newEntity();
    const raw = '{"a":0.1,"b":9007199254740992,"c":1e300,"d":-2.5e-300,"e":3.14159265358979323846,"f":0}';
    expect((await api("PUT", e.path, { raw })).status).toBe(201);
    expect(await (await api("GET", e.path)).text()).toBe(
      '{"a":0.1,"b":9007199254740992,"c":1e+300,"d":-2.5e-300,"e":3.141592653589793,"f":0}',
    );
  });

  it("an execution's input and output keep them", async () => {
    const machine = unique("m");
    await putMachine(machine, { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const run = await start(machine, { input: { a: 0.1, b: 9007199254740991 } }, "?wait=10");
    expect(run.body.output).toEqual({ a: 0.1, b: 9007199254740991 });
  });
});

describe("definitions", () => {
  it("a Choice rule's NumericEquals 9007199254740993 is refused, not matched against …992", async () => {
    const machine = unique("m");
    const raw = JSON.stringify({
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Variable: "$.n", NumericEquals: 0, Next: "Yes" }],
          Default: "No",
        },
        Yes: { Type: "Succeed" },
        No: { Type: "Fail" },
      },
    }).replace('"NumericEquals":0', '"NumericEquals":9007199254740993');
    const problem = await expectProblem(await api("PUT", `/v1/machines/${machine}`, { raw }), 400);
    expect(problem.errors?.[0]?.pointer).toBe("/States/C/Choices/0/NumericEquals");
    const verdict = await json<{ valid: boolean; diagnostics: { code: string; pointer: string }[] }>(
      await api("POST", "/v1/definitions/validate", { raw }),
    );
    expect(verdict.valid).toBe(false);
    expect(verdict.diagnostics).toEqual([
      expect.objectContaining({ code: "INEXACT_NUMBER", pointer: "/States/C/Choices/0/NumericEquals" }),
    ]);
  });
});

describe("JSON a machine reads at run time", () => {
  afterEach(() => vi.restoreAllMocks());

  const passThrough = (parameters: unknown) => ({
    StartAt: "P",
    States: { P: { Type: "Pass", Parameters: parameters, End: true } },
  });

  it("States.StringToJson refuses a long integer or a repeated key instead of changing it", async () => {
    const machine = unique("m");
    await putMachine(machine, passThrough({ "v.$": "States.StringToJson($.s)" }));
    for (const s of ['{"id":12345678901234567890}', '{"a":1,"a":2}']) {
      const run = await start(machine, { input: { s } }, "?wait=10");
      expect(run.body).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
    }
    const ok = await start(machine, { input: { s: '{"id":"12345678901234567890","n":0.1}' } }, "?wait=10");
    expect(ok.body.output).toEqual({ v: { id: "12345678901234567890", n: 0.1 } });
  });

  it("an HTTP task's JSON reply that a double cannot hold stays text, digit for digit", async () => {
    const reply = '{"id":12345678901234567890,"id":1}';
    vi.spyOn(globalThis, "fetch").mockImplementation(
      async () => new Response(reply, { headers: { "Content-Type": "application/json" } }),
    );
    const machine = unique("m");
    await putMachine(machine, {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::http:invoke",
          Parameters: { ApiEndpoint: "https://api.example.com/orders", Method: "GET" },
          End: true,
        },
      },
    });
    const run = await start(machine, {}, "?wait=10");
    expect(run.body).toMatchObject({ status: "SUCCEEDED", output: { ResponseBody: reply } });
  });
});
