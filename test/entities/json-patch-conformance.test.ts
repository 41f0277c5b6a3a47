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

/**
 * A patch that is malformed whatever the document (a missing or invalid member, an unknown op) is
 * the client's mistake, 400; one that is well formed but cannot apply to this document (a missing
 * path, an index out of range, a failed test) is a 409. The suite only says "error"; these are its
 * malformed cases, by their description.
 */
const MALFORMED = [
  /^missing '(path|value|from)' parameter$/,
  /^null is not valid value for 'path'$/,
  /^JSON Pointer should start with a slash$/,
  /^Unrecognized op /,
];
const statusFor = (error: string) => (MALFORMED.some((m) => m.test(error)) ? 400 : 409);

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

  it("has both kinds of refusal, when it has refusals", () => {
    const statuses = new Set(
      cases.filter((c) => "error" in c && !("expected" in c)).map((c) => statusFor(c.error!)),
    );
    if (statuses.size > 0) expect(statuses).toContain(409);
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
    expect(res.status, `${c.error}: ${await res.clone().text()}`).toBe(statusFor(c.error!));
    expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect(await read(e)).toEqual({ status: 200, version: 1, body: c.doc });
  });
});
