// The RFC 6902 conformance suite (json-patch/json-patch-tests), read from ../shared and run
// through the HTTP API: PUT the doc, PATCH it, and compare what a GET then returns.
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { jsonPatchSuite } from "../support/conformance";
import { jsonPatch, newEntity, put, read } from "../support/entities";

interface PatchCase {
  comment?: string;
  doc: unknown;
  patch: unknown;
  expected?: unknown;
  error?: string;
  disabled?: boolean;
}

const enabled = (records: unknown[]) =>
  (records as PatchCase[])
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => !record.disabled)
    .map(({ record, index }) => ({
      ...record,
      name: `#${index} ${record.comment ?? record.error ?? JSON.stringify(record.patch).slice(0, 60)}`,
    }));

describe.each([
  ["tests.json", enabled(jsonPatchSuite("tests.json"))],
  ["spec_tests.json", enabled(jsonPatchSuite("spec_tests.json"))],
])("JSON Patch conformance: %s", (_, cases) => {
  it("has records to run", () => {
    expect(cases.length).toBeGreaterThan(10);
    expect(cases.every((c) => "expected" in c || "error" in c)).toBe(true);
  });

  it.each(cases.filter((c) => "expected" in c))("applies $name", async (c) => {
    const e = newEntity("patch");
    expect((await put(e, c.doc)).status).toBe(201);
    const res = await jsonPatch(e, c.patch);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(await json(res)).toEqual(c.expected);
    expect(await read(e)).toEqual({ status: 200, version: 2, body: c.expected });
  });

  it.each(cases.filter((c) => "error" in c && !("expected" in c)))("refuses $name", async (c) => {
    const e = newEntity("patch");
    expect((await put(e, c.doc)).status).toBe(201);
    const res = await jsonPatch(e, c.patch);
    expect(res.status, `${c.error}: ${await res.clone().text()}`).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect(await read(e)).toEqual({ status: 200, version: 1, body: c.doc });
  });
});
