import { describe, expect, it } from "vitest";
import { putMachine } from "../machines/support";
import { api, json, unique } from "../support/api";
import { page, signIn } from "./support";

// JSON typed into the console's forms follows the API's JSON rules (issue 11 #9, #10): the console
// used to JSON.parse it and send JSON.stringify of the result, so a repeated key or a long integer
// changed before the API could refuse it.

describe("console forms refuse JSON the API would refuse", () => {
  it("a new document with a repeated key or a long integer is not saved", async () => {
    const { cookie, csrf } = await signIn();
    for (const body of ['{"a":1,"a":2}', '{"id":12345678901234567890}']) {
      const id = unique("e");
      const res = await page("/console/entities/doc", { cookie, form: { _csrf: csrf, id, body, ttl: "" } });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/duplicate key|cannot be held exactly/);
      expect((await api("GET", `/v1/entities/doc/${id}`)).status).toBe(404);
    }
  });

  it("an edited document with -0 is not saved over the current version", async () => {
    const { cookie, csrf } = await signIn();
    const id = unique("e");
    await api("PUT", `/v1/entities/doc/${id}`, { body: { a: 1 } });
    const res = await page(`/console/entities/doc/${id}/save`, {
      cookie,
      form: { _csrf: csrf, body: '{"a":-0}', base: "1", ttlMode: "clear", ttl: "" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("send 0");
    expect(await json(await api("GET", `/v1/entities/doc/${id}`))).toEqual({ a: 1 });
  });

  it("an execution input with a repeated key does not start an execution", async () => {
    const { cookie, csrf } = await signIn();
    const machine = unique("m");
    await putMachine(machine, { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const res = await page(`/console/machines/${machine}/start`, {
      cookie,
      form: { _csrf: csrf, input: '{"order":1,"order":2}', name: "run-1" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("duplicate key");
    expect((await api("GET", `/v1/machines/${machine}/executions/run-1`)).status).toBe(404);
  });

  it("session data with 9007199254740993 does not start a session", async () => {
    const { cookie, csrf } = await signIn();
    const subject = unique("s");
    const res = await page("/console/sessions/new", {
      cookie,
      form: { _csrf: csrf, subject, ttl: "", data: '{"user":9007199254740993}' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("9007199254740992");
    expect(await json(await api("GET", `/v1/subjects/${subject}/sessions`))).toEqual({ items: [] });
  });
});
