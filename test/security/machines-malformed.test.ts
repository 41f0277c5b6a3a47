import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, unique } from "../support/api";
import { expectProblem } from "../support/problem";
import {
  captureTokens,
  describeExecution,
  ECHO,
  machineSnapshot,
  seedMachine,
  WAITING,
  waitingTask,
} from "./machines-support";

// Each malformed state machine request is refused with exactly this status and a problem document
// (no stack, the request id as `instance`); a refused PUT leaves the machine as it was, and no
// refused callback or stop touches the waiting task.
interface Context {
  /** A machine with one version (ECHO) and a finished execution "done". */
  m: string;
  /** A machine whose execution "held" waits for a callback. */
  w: string;
  token: string;
  /** A genuine token of a task waiting in another tenant. */
  foreignToken: string;
}

interface Case {
  name: string;
  method: string;
  /** `{m}` and `{w}` are replaced by the context's machines. */
  path: string;
  raw?: string | ((c: Context) => string);
  contentType?: string;
  status: number;
  /** Text the problem's detail or errors must mention. */
  mentions?: RegExp;
}

const tenant = unique("mbad");
const otherTenant = unique("mother");
const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
const def = (d: unknown) => JSON.stringify(d);
const PASS = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };
const flipAt = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
const part = (token: string, i: number) => token.split(".")[i]!;

const cases: Case[] = [
  // definitions
  {
    name: "truncated JSON definition",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: '{"StartAt":"A","States":{',
    status: 400,
  },
  {
    name: "duplicate keys in a definition",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}',
    status: 400,
    mentions: /duplicate/i,
  },
  {
    name: "JSONata syntax error in a definition",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: def({
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Pass", Output: "{% $states.input + %}", End: true } },
    }),
    status: 400,
    mentions: /JSONata/,
  },
  {
    name: "definition over the body limit",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: def({ ...PASS, Comment: "x".repeat(262_144) }),
    status: 413,
  },
  {
    name: "definition nested 65 deep",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: deep(65),
    status: 400,
    mentions: /64/,
  },
  { name: "definition that is an array", method: "PUT", path: "/v1/machines/{m}", raw: "[]", status: 400 },
  { name: "empty definition body", method: "PUT", path: "/v1/machines/{m}", raw: "", status: 400 },
  {
    name: "definition with a number beyond float range",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: '{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1e400,"End":true}}}',
    status: 400,
  },
  {
    name: "definition sent as text/plain",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: def(PASS),
    contentType: "text/plain",
    status: 415,
  },
  {
    name: "definition with __proto__ as a state field",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"__proto__":{"Type":"Fail"}}}}',
    status: 400,
    mentions: /__proto__/,
  },
  {
    name: "definition whose Next names no state",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: def({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } }),
    status: 400,
    mentions: /Nowhere/,
  },
  {
    name: "definition with an unknown intrinsic",
    method: "PUT",
    path: "/v1/machines/{m}",
    raw: def({
      StartAt: "A",
      States: { A: { Type: "Pass", Parameters: { "x.$": "States.Nope($)" }, End: true } },
    }),
    status: 400,
  },
  {
    name: "validate: truncated JSON",
    method: "POST",
    path: "/v1/definitions/validate",
    raw: '{"StartAt":',
    status: 400,
  },
  {
    name: "validate: nested 65 deep",
    method: "POST",
    path: "/v1/definitions/validate",
    raw: deep(65),
    status: 400,
  },
  // machine names
  {
    name: "machine name of 81 characters",
    method: "PUT",
    path: `/v1/machines/${"a".repeat(81)}`,
    raw: def(PASS),
    status: 400,
  },
  { name: "machine name with a slash", method: "PUT", path: "/v1/machines/a/b", raw: def(PASS), status: 404 },
  { name: "machine name with %2F", method: "PUT", path: "/v1/machines/a%2Fb", raw: def(PASS), status: 400 },
  // %2E%2E is a dot-segment: URL parsing resolves it before routing, so it names no route at all.
  { name: "machine name %2E%2E", method: "GET", path: "/v1/machines/%2E%2E", status: 404 },
  { name: "machine name a%2E%2Eb", method: "GET", path: "/v1/machines/a%2E%2Eb", status: 400 },
  { name: "machine name with a space", method: "GET", path: "/v1/machines/a%20b", status: 400 },
  { name: "machine name with a dot", method: "DELETE", path: "/v1/machines/a.b", status: 400 },
  // versions
  { name: "?version=0", method: "GET", path: "/v1/machines/{m}?version=0", status: 400 },
  { name: "?version=-1", method: "GET", path: "/v1/machines/{m}?version=-1", status: 400 },
  { name: "?version=abc", method: "GET", path: "/v1/machines/{m}?version=abc", status: 400 },
  { name: "?version=1.5", method: "GET", path: "/v1/machines/{m}?version=1.5", status: 400 },
  {
    name: "?version of a version never written",
    method: "GET",
    path: "/v1/machines/{m}?version=99",
    status: 404,
  },
  { name: "unknown machine", method: "GET", path: "/v1/machines/never-made", status: 404 },
  { name: "delete of an unknown machine", method: "DELETE", path: "/v1/machines/never-made", status: 404 },
  // starts
  {
    name: "start with non-JSON",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: "input=1",
    status: 400,
  },
  {
    name: "start with a truncated body",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: '{"input":',
    status: 400,
  },
  {
    name: "start sent as text/plain",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: '{"input":{}}',
    contentType: "text/plain",
    status: 415,
  },
  {
    name: "start with an unknown field",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: '{"inputs":{}}',
    status: 400,
  },
  {
    name: "start with a body that is an array",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: "[]",
    status: 400,
  },
  {
    name: "execution name with a space",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: '{"name":"a b"}',
    status: 400,
  },
  {
    name: "execution name of 81 characters",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: def({ name: "e".repeat(81) }),
    status: 400,
  },
  {
    name: "execution name that is a number",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: '{"name":7}',
    status: 400,
  },
  {
    name: "input nested 65 deep",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: `{"input":${deep(64)}}`,
    status: 400,
  },
  {
    name: "input over the body limit (256 KiB of payload plus its envelope)",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: def({ input: "x".repeat(262_144 + 16_384) }),
    status: 413,
  },
  {
    name: "same execution name, another input",
    method: "POST",
    path: "/v1/machines/{m}/executions",
    raw: '{"name":"done","input":{"other":true}}',
    status: 409,
  },
  {
    name: "start of an unknown machine",
    method: "POST",
    path: "/v1/machines/never-made/executions",
    raw: "{}",
    status: 404,
  },
  { name: "?wait=61", method: "POST", path: "/v1/machines/{m}/executions?wait=61", raw: "{}", status: 400 },
  { name: "?wait=-1", method: "POST", path: "/v1/machines/{m}/executions?wait=-1", raw: "{}", status: 400 },
  { name: "?wait=1.5", method: "POST", path: "/v1/machines/{m}/executions?wait=1.5", raw: "{}", status: 400 },
  { name: "?wait=abc", method: "POST", path: "/v1/machines/{m}/executions?wait=abc", raw: "{}", status: 400 },
  // listings and reads
  {
    name: "unknown status filter",
    method: "GET",
    path: "/v1/machines/{m}/executions?status=PAUSED",
    status: 400,
  },
  {
    name: "lower-case status filter",
    method: "GET",
    path: "/v1/machines/{m}/executions?status=running",
    status: 400,
  },
  {
    name: "cursor over 1024 characters",
    method: "GET",
    path: `/v1/machines/{m}/executions?cursor=${"c".repeat(1025)}`,
    status: 400,
  },
  { name: "?limit=0", method: "GET", path: "/v1/machines/{m}/executions?limit=0", status: 400 },
  { name: "?limit=1001", method: "GET", path: "/v1/machines?limit=1001", status: 400 },
  {
    name: "history ?cursor=-1",
    method: "GET",
    path: "/v1/machines/{m}/executions/done/history?cursor=-1",
    status: 400,
  },
  {
    name: "history ?cursor=abc",
    method: "GET",
    path: "/v1/machines/{m}/executions/done/history?cursor=abc",
    status: 400,
  },
  {
    name: "describe an invalid execution name",
    method: "GET",
    path: "/v1/machines/{m}/executions/a.b",
    status: 400,
  },
  {
    name: "describe an unknown execution",
    method: "GET",
    path: "/v1/machines/{m}/executions/never-ran",
    status: 404,
  },
  {
    name: "history of an unknown execution",
    method: "GET",
    path: "/v1/machines/{m}/executions/never-ran/history",
    status: 404,
  },
  {
    name: "diagram with an invalid execution",
    method: "GET",
    path: "/v1/machines/{m}/diagram.svg?execution=a%2Fb",
    status: 400,
  },
  // stop
  {
    name: "stop of an unknown execution",
    method: "POST",
    path: "/v1/machines/{m}/executions/never-ran/stop",
    raw: "{}",
    status: 404,
  },
  {
    name: "stop with an unknown field",
    method: "POST",
    path: "/v1/machines/{w}/executions/held/stop",
    raw: '{"reason":"x"}',
    status: 400,
  },
  {
    name: "stop with an error over 256 characters",
    method: "POST",
    path: "/v1/machines/{w}/executions/held/stop",
    raw: def({ error: "e".repeat(257) }),
    status: 400,
  },
  {
    name: "stop with non-JSON",
    method: "POST",
    path: "/v1/machines/{w}/executions/held/stop",
    raw: "stop!",
    status: 400,
  },
  {
    name: "stop sent as text/plain",
    method: "POST",
    path: "/v1/machines/{w}/executions/held/stop",
    raw: '{"error":"x"}',
    contentType: "text/plain",
    status: 415,
  },
  // callbacks
  {
    name: "callback without a token",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: '{"output":{}}',
    status: 400,
  },
  {
    name: "callback with an empty token",
    method: "POST",
    path: "/v1/callbacks/heartbeat",
    raw: '{"taskToken":""}',
    status: 400,
  },
  {
    name: "callback token that is a number",
    method: "POST",
    path: "/v1/callbacks/heartbeat",
    raw: '{"taskToken":1}',
    status: 400,
  },
  {
    name: "callback token over 2048 characters",
    method: "POST",
    path: "/v1/callbacks/heartbeat",
    raw: def({ taskToken: "t".repeat(2049) }),
    status: 400,
  },
  {
    name: "callback with non-JSON",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: "token=x",
    status: 400,
  },
  {
    name: "callback with an unknown field",
    method: "POST",
    path: "/v1/callbacks/failure",
    raw: (c) => def({ taskToken: c.token, reason: "x" }),
    status: 400,
  },
  {
    name: "callback failure with an error over 256 characters",
    method: "POST",
    path: "/v1/callbacks/failure",
    raw: (c) => def({ taskToken: c.token, error: "e".repeat(257) }),
    status: 400,
  },
  {
    name: "callback sent as text/plain",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) => def({ taskToken: c.token, output: {} }),
    contentType: "text/plain",
    status: 415,
  },
  {
    name: "forged token (made-up MAC)",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) =>
      def({
        taskToken: `${c.token.slice(0, c.token.lastIndexOf("."))}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        output: {},
      }),
    status: 400,
  },
  {
    name: "truncated token",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) => def({ taskToken: c.token.slice(0, -5), output: {} }),
    status: 400,
  },
  {
    name: "token without its MAC",
    method: "POST",
    path: "/v1/callbacks/heartbeat",
    raw: (c) => def({ taskToken: c.token.slice(0, c.token.lastIndexOf(".")) }),
    status: 400,
  },
  {
    name: "token with a tampered payload",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) =>
      def({
        taskToken: [part(c.token, 0), part(c.token, 1), flipAt(part(c.token, 2), 3), part(c.token, 3)].join(
          ".",
        ),
        output: {},
      }),
    status: 400,
  },
  {
    name: "token re-signed claims of another tenant (payload swapped, MAC kept)",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) =>
      def({
        taskToken: [part(c.token, 0), part(c.token, 1), part(c.foreignToken, 2), part(c.token, 3)].join("."),
        output: {},
      }),
    status: 400,
  },
  {
    name: "token naming a key id not in the ring",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) =>
      def({ taskToken: [part(c.token, 0), "k9", part(c.token, 2), part(c.token, 3)].join("."), output: {} }),
    status: 400,
  },
  {
    name: "token of another version prefix",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) => def({ taskToken: c.token.replace(/^est1\./, "est2."), output: {} }),
    status: 400,
  },
  {
    name: "genuine token of another tenant",
    method: "POST",
    path: "/v1/callbacks/success",
    raw: (c) => def({ taskToken: c.foreignToken, output: {} }),
    status: 404,
  },
  {
    name: "genuine token of another tenant, as a failure",
    method: "POST",
    path: "/v1/callbacks/failure",
    raw: (c) => def({ taskToken: c.foreignToken, error: "Forged" }),
    status: 404,
  },
];

let context: Context;

beforeAll(async () => {
  const tokens = captureTokens();
  const [m, w] = [unique("m"), unique("w")];
  await seedMachine(tenant, m, ECHO);
  const done = await api("POST", `/v1/machines/${m}/executions?wait=5`, {
    tenant,
    body: { name: "done", input: { n: 1 } },
  });
  expect(done.status, await done.clone().text()).toBe(200);
  await seedMachine(tenant, w, WAITING);
  await seedMachine(otherTenant, w, WAITING);
  const token = await waitingTask(tokens, tenant, w, "held");
  const foreignToken = await waitingTask(tokens, otherTenant, w, "held");
  context = { m, w, token, foreignToken };
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe(`malformed state machine requests (${cases.length} cases)`, () => {
  it("has at least 25 named cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)("$name → $status", async (c) => {
    const path = c.path.replaceAll("{m}", context.m).replaceAll("{w}", context.w);
    const raw = typeof c.raw === "function" ? c.raw(context) : c.raw;
    const before = await machineSnapshot(tenant, context.m);
    const res = await api(c.method, path, {
      tenant,
      ...(raw === undefined ? {} : { raw }),
      ...(c.contentType ? { contentType: c.contentType } : {}),
    });
    const problem = await expectProblem(res, c.status);
    if (c.mentions) expect(JSON.stringify([problem.detail, problem.errors ?? []])).toMatch(c.mentions);
    expect(await machineSnapshot(tenant, context.m)).toEqual(before);
  });

  // Miniflare's KV accepts any cursor string (production KV refuses one it did not issue, which
  // the routes map to 400), so locally an invalid cursor is an empty page: never a 5xx, and never
  // a way out of the tenant's and machine's key prefix.
  it("an invalid or forged listing cursor is a clean page that never leaves the tenant's prefix", async () => {
    const forged = btoa(`x/${otherTenant}/${context.w}/`);
    for (const path of [
      `/v1/machines/${context.m}/executions?cursor=not-a-cursor`,
      `/v1/machines/${context.w}/executions?cursor=${forged}`,
      "/v1/machines?cursor=not-a-cursor",
      `/v1/machines?cursor=${btoa(`m/${otherTenant}/`)}`,
    ]) {
      const res = await api("GET", path, { tenant });
      const text = await res.text();
      expect([200, 400], text).toContain(res.status);
      if (res.status === 200) expect(text).not.toContain(otherTenant);
      else expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
  });

  it("left the waiting tasks waiting, in both tenants, and their tokens genuine", async () => {
    for (const t of [tenant, otherTenant]) {
      expect(await describeExecution(t, context.w, "held")).toMatchObject({
        status: "RUNNING",
        currentStates: ["Approve"],
      });
    }
    const ok = await api("POST", "/v1/callbacks/heartbeat", { tenant, body: { taskToken: context.token } });
    expect(ok.status, await ok.clone().text()).toBe(200);
  });
});
