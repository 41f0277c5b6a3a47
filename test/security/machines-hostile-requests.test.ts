import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, unique } from "../support/api";
import {
  ADMIN,
  captureTokens,
  checkReply,
  describeExecution,
  fetchRaw,
  machineSnapshot,
  seedMachine,
  WAITING,
  waitingTask,
} from "./machines-support";

// Property-based hostile requests to executions and callbacks: random inputs and names for a
// start, random strings in every path segment and query value, random header values and bodies,
// random task tokens. Every reply: no 5xx, every 4xx a problem document; a refused request leaves
// the machine, the execution and a waiting task as they were.
const RUNS = 100;
const tenant = unique("xfuzz");
const machine = unique("echo");
const waiting = unique("wait");
let token = "";

const json = fc.jsonValue({ maxDepth: 3 });
const nastyKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "");
const nastyObject = fc.letrec<{ obj: unknown }>((tie) => ({
  obj: fc.dictionary(
    fc.oneof(nastyKey, fc.string({ maxLength: 6 })),
    fc.oneof({ depthSize: "small" }, json, tie("obj")),
    {
      maxKeys: 4,
    },
  ),
})).obj;
const executionNameish = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
  fc.constantFrom("", "x".repeat(81), "a b", "a/b", "..", "__proto__", "ünï", "a\u0000b"),
  fc.string({ maxLength: 90 }),
);

beforeAll(async () => {
  const tokens = captureTokens();
  await seedMachine(tenant, machine);
  await seedMachine(tenant, waiting, WAITING);
  token = await waitingTask(tokens, tenant, waiting, "held");
  const finished = await api("POST", `/v1/machines/${machine}/executions?wait=5`, {
    tenant,
    body: { name: "finished" },
  });
  expect(finished.status).toBe(200);
});

afterAll(() => {
  vi.restoreAllMocks();
});

/** The waiting task is untouched: still RUNNING in its one state, and its token still works (checked last). */
async function expectStillWaiting(): Promise<void> {
  expect(await describeExecution(tenant, waiting, "held")).toMatchObject({
    status: "RUNNING",
    currentStates: ["Approve"],
  });
}

describe("hostile execution requests (fast-check)", () => {
  it("a start with any input and any name: created as sent, replayed, or refused cleanly", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(json, nastyObject),
        fc.option(executionNameish, { nil: undefined }),
        async (input, name) => {
          const raw = JSON.stringify({ input, ...(name === undefined ? {} : { name }) });
          const res = await api("POST", `/v1/machines/${machine}/executions?wait=5`, { tenant, raw });
          const text = await checkReply(res);
          if (res.status >= 400) {
            expect([400, 409], text).toContain(res.status);
            return;
          }
          // __proto__ and friends are plain data in the execution's input and output.
          const run = JSON.parse(text) as { status: string; input: unknown; output: unknown };
          expect(run.status, text).toBe("SUCCEEDED");
          const sent = JSON.stringify(JSON.parse(raw).input);
          expect(JSON.stringify(run.input)).toBe(sent);
          expect(JSON.stringify(run.output)).toBe(JSON.stringify({ echo: JSON.parse(sent) }));
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: RUNS },
    );
  });

  const segment = fc.oneof(
    fc.string({ unit: "binary", maxLength: 90 }).map(encodeURIComponent),
    fc.constantFrom("%2F", "a%2Fb", "%2E%2E", "..", ".", "%00", "%", "%ZZ", "x".repeat(81)),
  );
  const queryName = fc.constantFrom("wait", "status", "limit", "cursor", "version", "execution");
  const queryValue = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom("61", "-1", "0", "1.5", "1e3", "RUNNING", "running", "9007199254740993", ""),
  );

  it("random strings as machine names, execution names and query values: a clean 4xx or a normal reply", async () => {
    const before = await machineSnapshot(tenant, machine);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(machine), segment),
        fc.oneof(fc.constant("held"), segment),
        queryName,
        queryValue,
        fc.constantFrom(
          "GET /v1/machines/{m}",
          "DELETE /v1/machines/{m}",
          "GET /v1/machines/{m}/diagram.svg",
          "GET /v1/machines/{m}/executions",
          "GET /v1/machines/{m}/executions/{x}",
          "GET /v1/machines/{m}/executions/{x}/history",
          "POST /v1/machines/{m}/executions",
          "GET /v1/machines",
        ),
        async (m, x, name, value, route) => {
          const [method, template] = route.split(" ") as [string, string];
          // The seeded machine is kept (and the waiting one never addressed): DELETE only fuzzes names.
          if (method === "DELETE" && m === machine) return;
          const query = `?${name}=${encodeURIComponent(value)}`;
          const path = template.replace("{m}", m).replace("{x}", x === "held" ? unique("none") : x);
          const res = await api(method, `${path}${query}`, {
            tenant,
            ...(method === "POST" ? { raw: "{}" } : {}),
          });
          await checkReply(res);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await machineSnapshot(tenant, machine)).toEqual(before);
  });

  // Any value a client could put on the wire (no CR, LF or NUL; Latin-1).
  const headerValue = fc
    .string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 })
    .map((s) => s.trim());

  it("random header values on machine, execution and callback routes are handled", async () => {
    const before = await machineSnapshot(tenant, machine);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "Edgestate-Tenant",
          "Authorization",
          "Content-Type",
          "Accept",
          "Idempotency-Key",
          "If-Match",
        ),
        headerValue,
        fc.constantFrom(
          `PUT /v1/machines/${machine}`,
          `POST /v1/machines/${machine}/executions`,
          `POST /v1/machines/${machine}/executions/finished/stop`,
          "POST /v1/callbacks/success",
          "POST /v1/definitions/validate",
        ),
        async (header, value, route) => {
          const [method, path] = route.split(" ") as [string, string];
          const headers: Record<string, string> = {
            Authorization: ADMIN,
            "Edgestate-Tenant": tenant,
            "Content-Type": "application/json",
          };
          headers[header] = value;
          // A PUT that gets through re-puts the seeded definition (no new version); a stop body
          // goes to a finished execution, so the waiting task is never in reach.
          const body = path.endsWith("/stop")
            ? '{"bogus":1}'
            : path.startsWith("/v1/machines/") && method === "PUT"
              ? JSON.stringify((before.body as { definition: unknown }).definition)
              : path === "/v1/callbacks/success"
                ? '{"taskToken":"est1.k1.e30.AAAA","output":{}}'
                : "{}";
          await checkReply(await fetchRaw(path, { method, headers, body }));
        },
      ),
      { numRuns: RUNS },
    );
    expect(await machineSnapshot(tenant, machine)).toEqual(before);
    await expectStillWaiting();
  });

  const contentType = fc.constantFrom(
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "",
  );

  it("random bytes as a start, stop or callback body, with any content type, never break anything", async () => {
    const before = await machineSnapshot(tenant, machine);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 256 }),
        contentType,
        fc.constantFrom(
          `/v1/machines/${machine}/executions`,
          `/v1/machines/${machine}/executions/finished/stop`,
          "/v1/callbacks/success",
          "/v1/callbacks/failure",
          "/v1/callbacks/heartbeat",
        ),
        async (bytes, type, path) => {
          const headers: Record<string, string> = { Authorization: ADMIN, "Edgestate-Tenant": tenant };
          if (type) headers["Content-Type"] = type;
          const res = await fetchRaw(path, { method: "POST", headers, body: bytes });
          const text = await checkReply(res);
          // A stop takes no body or a JSON one: random bytes get through only when they are empty
          // or carry no Content-Type (nothing to interpret), and only to the finished execution.
          if (path.endsWith("/stop") && res.status < 400)
            expect(bytes.length === 0 || !type, text).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await machineSnapshot(tenant, machine)).toEqual(before);
    await expectStillWaiting();
  });

  /** Tokens that are nearly the real one: each a small edit of it. */
  const nearToken = fc
    .tuple(
      fc.nat(),
      fc.constantFrom("flip", "truncate", "drop", "swap", "append", "case"),
      fc.string({ maxLength: 4 }),
    )
    .map(([at, edit, extra]) => {
      const i = at % token.length;
      switch (edit) {
        case "flip":
          return token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
        case "truncate":
          return token.slice(0, i);
        case "drop":
          return token.slice(0, i) + token.slice(i + 1);
        case "swap": {
          const p = token.split(".");
          return [p[0], p[1], p[3], p[2]].join(".");
        }
        case "append":
          return token + extra;
        default:
          return token.toLowerCase();
      }
    })
    .filter((t) => t !== token);
  const randomToken = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .tuple(
        fc.constantFrom("est1", "est2", ""),
        fc.constantFrom("k1", "k2", "k9", ""),
        fc.base64String(),
        fc.base64String(),
      )
      .map((p) => p.join(".")),
  );

  it("random task tokens are a 400 or a 404, never a 5xx, and never touch a waiting task", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nearToken, randomToken),
        fc.constantFrom("success", "failure", "heartbeat"),
        async (taskToken, kind) => {
          const body =
            kind === "success"
              ? { taskToken, output: { forged: true } }
              : kind === "failure"
                ? { taskToken, error: "Forged" }
                : { taskToken };
          const res = await api("POST", `/v1/callbacks/${kind}`, { tenant, body });
          const text = await checkReply(res);
          expect([400, 404], text).toContain(res.status);
        },
      ),
      { numRuns: RUNS },
    );
    await expectStillWaiting();
    // The genuine token still completes the task after all that.
    const res = await api("POST", "/v1/callbacks/success", {
      tenant,
      body: { taskToken: token, output: { real: 1 } },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await expect
      .poll(async () => (await describeExecution(tenant, waiting, "held")).status, { timeout: 5_000 })
      .toBe("SUCCEEDED");
    expect((await describeExecution(tenant, waiting, "held")).output).toEqual({ real: 1 });
  });
});
