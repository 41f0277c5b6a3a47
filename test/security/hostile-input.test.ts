import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api, fetchChecked, unique } from "../support/api";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

// Property-based hostile input. Every reply: no 5xx; every 4xx is a problem document whose status
// matches; a refused write leaves the entity exactly as it was (ETag and body). Runs are bounded so
// the file stays fast; a failure prints fast-check's seed and shrunk counterexample.
const RUNS = 100;
const tenant = unique("fuzz");

async function checkReply(res: Response): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("Content-Type"), text).toBe("application/problem+json");
    expect((JSON.parse(text) as { status: number }).status).toBe(res.status);
  }
  return text;
}

async function snapshot(path: string): Promise<{ etag: string | null; body: string }> {
  const res = await api("GET", path, { tenant });
  return { etag: res.headers.get("ETag"), body: await res.text() };
}

/** Seeds an entity, sends the request, checks the reply and, when it was refused, that nothing changed. */
async function againstSeeded(send: (path: string) => Promise<Response>): Promise<void> {
  const path = `/v1/entities/fuzz/${unique()}`;
  expect((await api("PUT", path, { tenant, body: { seed: [1, "two", { three: 3 }] } })).status).toBe(201);
  const before = await snapshot(path);
  const res = await send(path);
  await checkReply(res);
  if (res.status >= 400) expect(await snapshot(path)).toEqual(before);
}

const json = fc.jsonValue({ maxDepth: 3 });
/** Keys that have tripped real parsers and merge functions. */
const nastyKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "",
  "~",
  "/",
  "a/b",
  "~1",
);
const nastyObject = fc.dictionary(fc.oneof(nastyKey, fc.string()), json, { maxKeys: 6 });

describe("hostile input (fast-check)", () => {
  it("PUT of any JSON document stores exactly that document", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, nastyObject), async (doc) => {
        const path = `/v1/entities/fuzz/${unique()}`;
        const raw = JSON.stringify(doc);
        const res = await api("PUT", path, { tenant, raw });
        const text = await checkReply(res);
        expect(res.status, text).toBe(201);
        const read = await api("GET", path, { tenant });
        expect(await read.text()).toBe(JSON.stringify(JSON.parse(raw)));
      }),
      { numRuns: RUNS },
    );
  });

  it("merge patches of any JSON: applied, or refused without a change", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, nastyObject), async (patch) => {
        await againstSeeded((path) =>
          api("PATCH", path, {
            tenant,
            raw: JSON.stringify(patch),
            contentType: "application/merge-patch+json",
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  const pointer = fc
    .array(
      fc.oneof(
        nastyKey,
        fc.constantFrom("seed", "0", "1", "2", "3", "-", "three"),
        fc.string({ maxLength: 4 }),
      ),
      {
        maxLength: 3,
      },
    )
    .map((parts) => parts.map((p) => `/${p}`).join(""));
  const op = fc.record(
    {
      op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test", "bogus"),
      path: fc.oneof(pointer, fc.string({ maxLength: 6 }), json),
      from: fc.oneof(pointer, json),
      value: json,
    },
    { requiredKeys: [] },
  );

  it("JSON Patch operations of any shape: applied atomically, or refused without a change", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(op, { maxLength: 5 }), json), async (ops) => {
        await againstSeeded((path) =>
          api("PATCH", path, {
            tenant,
            raw: JSON.stringify(ops),
            contentType: "application/json-patch+json",
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  const contentType = fc.constantFrom(
    "application/json",
    "application/merge-patch+json",
    "application/json-patch+json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/octet-stream",
    "",
  );

  it("random bytes as a body, with any content type, never break anything", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 256 }),
        contentType,
        fc.constantFrom("PUT", "PATCH", "DELETE", "POST"),
        async (bytes, type, method) => {
          await againstSeeded(async (path) => {
            const headers: Record<string, string> = { Authorization: ADMIN.Authorization };
            if (type) headers["Content-Type"] = type;
            headers["Edgestate-Tenant"] = tenant;
            return fetchRaw(path, { method, headers, body: bytes });
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("random strings as types, ids and query values are a clean 4xx or a normal reply", async () => {
    const segment = fc.string({ unit: "binary", maxLength: 80 }).map(encodeURIComponent);
    await fc.assert(
      fc.asyncProperty(
        segment,
        segment,
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.constantFrom("ttl", "version", "consistency", "limit", "cursor", "prefix"),
        fc.constantFrom("GET", "PUT", "DELETE"),
        async (type, id, value, name, method) => {
          const query = `?${name}=${encodeURIComponent(value)}`;
          const res = await api(method, `/v1/entities/${type}/${id}${query}`, {
            tenant,
            ...(method === "PUT" ? { raw: "{}" } : {}),
          });
          await checkReply(res);
        },
      ),
      { numRuns: RUNS },
    );
  });

  // Header values: any string a client could put on the wire (no CR, LF or NUL; Latin-1).
  const headerValue = fc
    .string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 })
    .map((s) => s.trim());

  it("random header values (preconditions, idempotency keys, tenants, bearer tokens) are handled", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "If-Match",
          "If-None-Match",
          "Idempotency-Key",
          "Edgestate-Tenant",
          "Authorization",
          "Content-Type",
        ),
        headerValue,
        fc.constantFrom("PUT", "PATCH", "DELETE", "GET"),
        async (header, value, method) => {
          await againstSeeded(async (path) => {
            const headers: Record<string, string> = {
              ...ADMIN,
              "Edgestate-Tenant": tenant,
              "Content-Type": method === "PATCH" ? "application/merge-patch+json" : "application/json",
            };
            headers[header] = value;
            const body = method === "GET" || method === "DELETE" ? undefined : '{"changed":true}';
            return fetchRaw(path, { method, headers, body });
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

/** Straight to the Worker, for bodies and headers the api() helper would tidy up. */
function fetchRaw(path: string, init: RequestInit): Promise<Response> {
  return fetchChecked(path, init);
}
