// Issue 11 #6: every mutating route honours Idempotency-Key, or refuses it with a 400 where it
// cannot be honoured. Entities and sessions have their own files; these are the rest.
import { afterEach, describe, expect, it, vi } from "vitest";
import { describe as describeExecution, HELLO_WORLD, putMachine } from "../machines/support";
import { createSession } from "../sessions/helpers";
import { api, json, unique } from "../support/api";
import { expectProblem } from "../support/problem";

const REPLAYED = "Idempotent-Replayed";
const withKey = (key: string) => ({ "Idempotency-Key": key });

async function snapshot(res: Response) {
  return { status: res.status, body: await res.text(), location: res.headers.get("Location") };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("executions", () => {
  it("a retried start without a name lands on one execution and replays its first reply", async () => {
    const machine = unique("idem");
    await putMachine(machine, HELLO_WORLD);
    const key = withKey(unique("start"));
    const call = { body: { input: { IsHelloWorldExample: true } }, headers: key };
    const first = await api("POST", `/v1/machines/${machine}/executions`, call);
    expect(first.status).toBe(201);
    const original = await snapshot(first);
    const again = await api("POST", `/v1/machines/${machine}/executions`, call);
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(original);
    // The same key with another input is a 422, and starts nothing.
    const other = await api("POST", `/v1/machines/${machine}/executions`, {
      body: { input: { IsHelloWorldExample: false } },
      headers: key,
    });
    await expectProblem(other, 422);
    const { name } = JSON.parse(original.body) as { name: string };
    expect(name).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await describeExecution(machine, name)).input).toEqual({ IsHelloWorldExample: true });
  });

  it("the same key in another tenant or on another machine starts another execution", async () => {
    const a = unique("idem");
    const b = unique("idem");
    await putMachine(a, HELLO_WORLD);
    await putMachine(b, HELLO_WORLD);
    await putMachine(a, HELLO_WORLD, "idem-other");
    const headers = withKey("shared-key");
    const names = await Promise.all(
      [
        api("POST", `/v1/machines/${a}/executions`, { headers }),
        api("POST", `/v1/machines/${b}/executions`, { headers }),
        api("POST", `/v1/machines/${a}/executions`, { headers, tenant: "idem-other" }),
      ].map(async (res) => {
        const r = await res;
        expect(r.status).toBe(201);
        return (await json<{ name: string }>(r)).name;
      }),
    );
    expect(new Set(names).size).toBe(3);
  });

  it("a stop with a key replays, and the same key with another body is a 422", async () => {
    const machine = unique("idem");
    await putMachine(machine, HELLO_WORLD);
    await api("POST", `/v1/machines/${machine}/executions`, {
      body: { name: "s1", input: { IsHelloWorldExample: true } },
    });
    const path = `/v1/machines/${machine}/executions/s1/stop`;
    const headers = withKey("stop-1");
    const first = await snapshot(await api("POST", path, { body: { cause: "first" }, headers }));
    expect(first.status).toBe(200);
    const again = await api("POST", path, { body: { cause: "first" }, headers });
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(first);
    await expectProblem(await api("POST", path, { body: { cause: "other" }, headers }), 422);
  });

  it("a callback with a key is answered again after the task stopped waiting", async () => {
    const tokens: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      tokens.push(
        (JSON.parse(await new Request(input as RequestInfo, init as RequestInit).text()) as { token: string })
          .token,
      );
      return new Response(null, { status: 202 });
    });
    const machine = unique("idem");
    await putMachine(machine, {
      StartAt: "Approve",
      States: {
        Approve: {
          Type: "Task",
          Resource: "arn:aws:states:::http:invoke.waitForTaskToken",
          Parameters: {
            ApiEndpoint: "https://approvals.example.com",
            Method: "POST",
            RequestBody: { "token.$": "$$.Task.Token" },
          },
          End: true,
        },
      },
    });
    await api("POST", `/v1/machines/${machine}/executions`, { body: { name: "cb" } });
    await expect.poll(() => tokens.length).toBe(1);
    const call = { body: { taskToken: tokens[0], output: { ok: true } }, headers: withKey("cb-1") };
    expect((await api("POST", "/v1/callbacks/success", call)).status).toBe(200);
    const again = await api("POST", "/v1/callbacks/success", call);
    expect(again.status).toBe(200);
    expect(again.headers.get(REPLAYED)).toBe("true");
    // Without the key, the same callback finds no task waiting.
    await expectProblem(await api("POST", "/v1/callbacks/success", { body: call.body }), 404);
    expect((await describeExecution(machine, "cb")).output).toEqual({ ok: true });
  });
});

describe("machines", () => {
  it("a retried PUT replays its first reply even after a newer version", async () => {
    const machine = unique("idem");
    const headers = withKey("put-1");
    const first = await snapshot(await api("PUT", `/v1/machines/${machine}`, { body: HELLO_WORLD, headers }));
    expect(first.status).toBe(201);
    const v2 = { ...HELLO_WORLD, Comment: "v2" };
    expect((await api("PUT", `/v1/machines/${machine}`, { body: v2 })).status).toBe(200);
    const again = await api("PUT", `/v1/machines/${machine}`, { body: HELLO_WORLD, headers });
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(first);
    await expectProblem(await api("PUT", `/v1/machines/${machine}`, { body: v2, headers }), 422);
  });

  it("a retried DELETE replays its 204 instead of answering 404", async () => {
    const machine = unique("idem");
    await putMachine(machine, HELLO_WORLD);
    const headers = withKey("delete-1");
    expect((await api("DELETE", `/v1/machines/${machine}`, { headers })).status).toBe(204);
    const again = await api("DELETE", `/v1/machines/${machine}`, { headers });
    expect(again.status).toBe(204);
    expect(again.headers.get(REPLAYED)).toBe("true");
    await expectProblem(await api("DELETE", `/v1/machines/${machine}`), 404);
  });
});

describe("sessions of a subject", () => {
  it("a retried log-out-everywhere replays its count", async () => {
    const subject = unique("u");
    await createSession({ subject });
    await createSession({ subject });
    const headers = withKey(unique("everywhere"));
    const first = await api("DELETE", `/v1/subjects/${subject}/sessions`, { headers });
    expect(await json(first)).toEqual({ revoked: 2 });
    const again = await api("DELETE", `/v1/subjects/${subject}/sessions`, { headers });
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await json(again)).toEqual({ revoked: 2 });
    expect(await json(await api("DELETE", `/v1/subjects/${subject}/sessions`))).toEqual({ revoked: 0 });
  });
});

describe("routes that refuse the key", () => {
  it("issuing an API key refuses Idempotency-Key with a 400 and issues nothing", async () => {
    const tenant = unique("idk").toLowerCase();
    const res = await api("POST", "/v1/keys", {
      body: { tenant, scopes: ["read"] },
      headers: withKey("issue-1"),
    });
    const problem = await expectProblem(res, 400);
    expect(problem.errors?.[0]?.pointer).toBe("/headers/idempotency-key");
    const listed = await json<{ items: { tenant: string }[] }>(await api("GET", "/v1/keys?limit=1000"));
    expect(listed.items.filter((k) => k.tenant === tenant)).toEqual([]);
  });

  it("the re-encryption job refuses it: the job is idempotent by itself", async () => {
    await expectProblem(await api("POST", "/v1/admin/reencrypt", { headers: withKey("job") }), 400);
  });

  it("revoking an API key is idempotent by itself, with or without a key", async () => {
    const issued = await json<{ id: string }>(
      await api("POST", "/v1/keys", { body: { tenant: "idem-revoke", scopes: ["read"] } }),
    );
    const headers = withKey("revoke-1");
    expect((await api("DELETE", `/v1/keys/${issued.id}`, { headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/keys/${issued.id}`, { headers })).status).toBe(204);
  });
});
