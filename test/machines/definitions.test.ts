import { describe, expect, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { aslDefinitions } from "../support/conformance";
import { HELLO_WORLD } from "./support";

const fixtures = Object.entries(aslDefinitions).map(([name, text]) => ({ name, text }));

interface Diagnostic {
  severity: string;
  code: string;
  pointer: string;
  message: string;
}

const validate = (raw: string) => api("POST", "/v1/definitions/validate", { raw });

describe("POST /v1/definitions/validate over the asl-validator fixtures", () => {
  it("finds the fixtures", () => {
    expect(fixtures.length).toBeGreaterThan(100);
  });

  for (const { name, text } of fixtures) {
    const expectValid = name.startsWith("valid-");
    it(`${expectValid ? "accepts" : "refuses"} ${name}`, async () => {
      const res = await validate(text);
      expect(res.status).toBe(200);
      const body = await json<{ valid: boolean; diagnostics: Diagnostic[] }>(res);
      expect(body.valid).toBe(expectValid);
      if (!expectValid) expect(body.diagnostics.some((d) => d.severity === "ERROR")).toBe(true);
    });
  }

  it("reports duplicate keys, which JSON.parse would hide", async () => {
    const res = await validate('{"StartAt":"A","StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
    const body = await json<{ valid: boolean; diagnostics: Diagnostic[] }>(res);
    expect(body.valid).toBe(false);
  });

  it("warns (but accepts) a Task resource the engine cannot run", async () => {
    const res = await validate(
      JSON.stringify({
        StartAt: "L",
        States: { L: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", End: true } },
      }),
    );
    const body = await json<{ valid: boolean; diagnostics: Diagnostic[] }>(res);
    expect(body.valid).toBe(true);
    expect(body.diagnostics).toEqual([
      expect.objectContaining({ severity: "WARNING", pointer: "/States/L/Resource" }),
    ]);
  });

  it("accepts the resources it runs without a warning", async () => {
    for (const resource of [
      "http:invoke",
      "arn:aws:states:::http:invoke.waitForTaskToken",
      "edgestate:entity:patch",
    ]) {
      const res = await validate(
        JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, End: true } } }),
      );
      expect((await json<{ diagnostics: Diagnostic[] }>(res)).diagnostics).toEqual([]);
    }
  });
});

describe("PUT /v1/machines/{name}", () => {
  it("creates (201), versions (200) and returns the latest unchanged for an equal definition", async () => {
    const name = unique("hello");
    const first = await api("PUT", `/v1/machines/${name}`, { body: HELLO_WORLD });
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({ name, version: 1, diagnostics: [] });

    const same = await api("PUT", `/v1/machines/${name}`, { raw: JSON.stringify(HELLO_WORLD, null, 2) });
    expect(same.status).toBe(200);
    expect(await json(same)).toMatchObject({ version: 1 });

    const changed = { ...HELLO_WORLD, Comment: "v2" };
    const second = await api("PUT", `/v1/machines/${name}`, { body: changed });
    expect(second.status).toBe(200);
    expect(await json(second)).toMatchObject({ version: 2 });

    const latest = await json<{
      version: number;
      definition: { Comment: string };
      versions: { version: number }[];
    }>(await api("GET", `/v1/machines/${name}`));
    expect(latest.version).toBe(2);
    expect(latest.definition.Comment).toBe("v2");
    expect(latest.versions.map((v) => v.version)).toEqual([2, 1]);
    const v1 = await json<{ version: number; definition: unknown }>(
      await api("GET", `/v1/machines/${name}?version=1`),
    );
    expect(v1).toMatchObject({ version: 1, definition: HELLO_WORLD });
    expect((await api("GET", `/v1/machines/${name}?version=3`)).status).toBe(404);
  });

  it("refuses a definition with errors: 400 problem listing each with its pointer and code", async () => {
    const res = await api("PUT", `/v1/machines/${unique("bad")}`, {
      body: { StartAt: "Missing", States: { A: { Type: "Pass", Next: "Nowhere" } } },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    const problem = await json<{ errors: { pointer: string; message: string }[] }>(res);
    expect(problem.errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(["/StartAt", "/States/A/Next"]),
    );
    expect(problem.errors[0]!.message).toMatch(/^[A-Z_]+: /);
  });

  it("refuses bad names and non-JSON bodies with problem+json 400s", async () => {
    expect((await api("PUT", `/v1/machines/${"x".repeat(81)}`, { body: HELLO_WORLD })).status).toBe(400);
    expect((await api("PUT", "/v1/machines/a.b", { body: HELLO_WORLD })).status).toBe(400);
    const broken = await api("PUT", `/v1/machines/${unique()}`, { raw: "{not json" });
    expect(broken.status).toBe(400);
    expect(broken.headers.get("Content-Type")).toContain("application/problem+json");
  });

  it("lists machines from the KV index and deletes them", async () => {
    const tenant = unique("list").toLowerCase();
    const name = unique("m");
    await api("PUT", `/v1/machines/${name}`, { body: HELLO_WORLD, tenant });
    await expect
      .poll(
        async () =>
          (await json<{ items: { name: string }[] }>(await api("GET", "/v1/machines", { tenant }))).items,
      )
      .toEqual([expect.objectContaining({ name, latestVersion: 1 })]);
    expect((await api("DELETE", `/v1/machines/${name}`, { tenant })).status).toBe(204);
    expect((await api("GET", `/v1/machines/${name}`, { tenant })).status).toBe(404);
    expect((await api("DELETE", `/v1/machines/${name}`, { tenant })).status).toBe(404);
    await expect
      .poll(
        async () => (await json<{ items: unknown[] }>(await api("GET", "/v1/machines", { tenant }))).items,
      )
      .toEqual([]);
    // Versions never restart after a delete: version 1 named another definition.
    const again = await api("PUT", `/v1/machines/${name}`, {
      body: { ...HELLO_WORLD, Comment: "again" },
      tenant,
    });
    expect(again.status).toBe(201);
    expect(await json(again)).toMatchObject({ version: 2 });
  });

  it("keeps tenants apart", async () => {
    const name = unique("iso");
    const a = await issueKey("tenant-a");
    const b = await issueKey("tenant-b");
    expect((await api("PUT", `/v1/machines/${name}`, { body: HELLO_WORLD, key: a })).status).toBe(201);
    expect((await api("GET", `/v1/machines/${name}`, { key: b })).status).toBe(404);
    expect((await api("DELETE", `/v1/machines/${name}`, { key: b })).status).toBe(404);
    expect((await api("POST", `/v1/machines/${name}/executions`, { body: {}, key: b })).status).toBe(404);
  });
});

describe("GET /v1/machines/{name}/diagram.svg", () => {
  it("renders the definition as SVG", async () => {
    const name = unique("svg");
    await api("PUT", `/v1/machines/${name}`, { body: HELLO_WORLD });
    const res = await api("GET", `/v1/machines/${name}/diagram.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("image/svg+xml");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg|<\?xml/);
    expect(svg).toContain("Wait 3 sec");
    expect((await api("GET", `/v1/machines/${unique()}/diagram.svg`)).status).toBe(404);
  });

  it("a version of a deleted machine → 404, also after the machine is created again", async () => {
    const name = unique("svg");
    await api("PUT", `/v1/machines/${name}`, { body: HELLO_WORLD });
    expect((await api("GET", `/v1/machines/${name}/diagram.svg?version=1`)).status).toBe(200);
    expect((await api("DELETE", `/v1/machines/${name}`)).status).toBe(204);
    expect((await api("GET", `/v1/machines/${name}/diagram.svg?version=1`)).status).toBe(404);
    await api("PUT", `/v1/machines/${name}`, { body: HELLO_WORLD });
    expect((await api("GET", `/v1/machines/${name}/diagram.svg?version=1`)).status).toBe(404);
    expect((await api("GET", `/v1/machines/${name}/diagram.svg?version=2`)).status).toBe(200);
  });
});
