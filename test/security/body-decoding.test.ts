import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { newEntity } from "../support/entities";
import { expectProblem } from "../support/problem";
import { TEST_ADMIN_KEY } from "../support/test-secrets";
import { fetchRaw } from "./sessions-support";

// How a request body becomes text (issue 11 #7, #14): UTF-8 or a refusal, never replacement
// characters; a declared charset honoured or refused; Content-Encoding decoded within the size
// limit; Content-Type parsed as RFC 9110 writes it.

const AUTH = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

const send = (method: string, path: string, body: BodyInit, headers: Record<string, string>) =>
  fetchRaw(path, { method, headers: { ...AUTH, ...headers }, body });

const putRaw = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  send("PUT", path, body, { "Content-Type": "application/json", ...headers });

const status = async (path: string) => (await api("GET", path)).status;

async function gzip(text: string, format: "gzip" | "deflate" = "gzip"): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("invalid UTF-8 is refused, not replaced", () => {
  it.each([
    ["a lone 0xFF", bytes('{"a":"', [0xff], '"}'), 6],
    ["a truncated two-byte sequence", bytes('{"a":"', [0xc3], '"}'), 6],
    ["an overlong encoding of /", bytes('{"a":"', [0xc0, 0xaf], '"}'), 6],
    ["a UTF-16 surrogate encoded as UTF-8", bytes('{"a":"', [0xed, 0xa0, 0x80], '"}'), 6],
    ["a code point past U+10FFFF", bytes('{"a":"', [0xf4, 0x90, 0x80, 0x80], '"}'), 6],
  ])("PUT with %s → 400 naming the byte, and nothing is stored", async (_name, body, offset) => {
    const e = newEntity();
    const problem = await expectProblem(await putRaw(e.path, body), 400);
    expect(problem.detail).toContain("not valid UTF-8");
    expect(problem.detail).toContain(`byte ${offset}`);
    expect(await status(e.path)).toBe(404);
  });

  it("262,136 bytes of 0xFF are a 400, not a 786,416-byte document of U+FFFD", async () => {
    const e = newEntity();
    const body = new Uint8Array(262_136 + 4);
    body.set(bytes('["'));
    body.fill(0xff, 2, 262_138);
    body.set(bytes('"]'), 262_138);
    await expectProblem(await putRaw(e.path, body), 400);
    expect(await status(e.path)).toBe(404);
  });

  it("merge patches, sessions and execution input refuse invalid UTF-8 too", async () => {
    const e = newEntity();
    expect((await api("PUT", e.path, { body: { a: 1 } })).status).toBe(201);
    const patch = bytes('{"a":"', [0xff], '"}');
    await expectProblem(
      await send("PATCH", e.path, patch, { "Content-Type": "application/merge-patch+json" }),
      400,
    );
    expect(await json(await api("GET", e.path))).toEqual({ a: 1 });
    const subject = unique("s");
    const session = bytes(`{"subject":"${subject}","data":{"a":"`, [0xfe], '"}}');
    await expectProblem(
      await send("POST", "/v1/sessions", session, { "Content-Type": "application/json" }),
      400,
    );
    expect(await json(await api("GET", `/v1/subjects/${subject}/sessions`))).toEqual({ items: [] });
  });

  it("keeps valid multi-byte text exactly, and drops only a leading byte order mark", async () => {
    const e = newEntity();
    const text = '{"a":"café ☕ 𝄞 \\ud800"}';
    expect((await putRaw(e.path, bytes([0xef, 0xbb, 0xbf], text))).status).toBe(201);
    expect(await (await api("GET", e.path)).text()).toBe(JSON.stringify(JSON.parse(text)));
  });
});

describe("a declared charset is honoured or refused", () => {
  it("charset=iso-8859-1 → 415 saying JSON is UTF-8, and nothing is stored", async () => {
    const e = newEntity();
    const res = await putRaw(e.path, bytes('{"a":"caf', [0xe9], '"}'), {
      "Content-Type": "application/json; charset=iso-8859-1",
    });
    const problem = await expectProblem(res, 415);
    expect(problem.detail).toContain("UTF-8");
    expect(await status(e.path)).toBe(404);
  });

  it.each([
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/json ; charset=utf-8",
    "application/json\t;\tcharset=utf8",
    "Application/JSON",
    "application/json;",
    "application/json; foo=bar",
  ])("Content-Type %s is JSON in UTF-8", async (type) => {
    const e = newEntity();
    const res = await putRaw(e.path, bytes('{"a":"é"}'), { "Content-Type": type });
    expect(res.status, await res.text()).toBe(201);
    expect(await json(await api("GET", e.path))).toEqual({ a: "é" });
  });

  it("application/merge-patch+json ; charset=utf-8 is a merge patch", async () => {
    const e = newEntity();
    await api("PUT", e.path, { body: { a: 1 } });
    const res = await send("PATCH", e.path, '{"b":2}', {
      "Content-Type": "application/merge-patch+json ; charset=utf-8",
    });
    expect(res.status, await res.text()).toBe(200);
    expect(await json(await api("GET", e.path))).toEqual({ a: 1, b: 2 });
  });

  it.each([
    "application/json charset=utf-8",
    "application/json; charset",
    "application/json; charset=utf-8; charset=latin1",
    "json",
    'application/json; charset="utf-8',
  ])("a malformed Content-Type (%s) → 400", async (type) => {
    const e = newEntity();
    const problem = await expectProblem(await putRaw(e.path, '{"a":1}', { "Content-Type": type }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: "/headers/content-type" })]);
    expect(await status(e.path)).toBe(404);
  });
});

describe("Content-Encoding", () => {
  it.each(["gzip", "deflate"] as const)("a %s body is decoded and stored as sent", async (format) => {
    const e = newEntity();
    const text = JSON.stringify({ a: "x".repeat(1000), n: [1, 2, 3] });
    const res = await putRaw(e.path, await gzip(text, format), { "Content-Encoding": format });
    expect(res.status, await res.text()).toBe(201);
    expect(await (await api("GET", e.path)).text()).toBe(text);
  });

  it("the size limit counts decoded bytes: a small gzip body that inflates past it → 413", async () => {
    const e = newEntity();
    const bomb = await gzip(`["${"0".repeat(4_000_000)}"]`);
    expect(bomb.byteLength).toBeLessThan(20_000);
    await expectProblem(await putRaw(e.path, bomb, { "Content-Encoding": "gzip" }), 413);
    expect(await status(e.path)).toBe(404);
  });

  it("a body that is not what its Content-Encoding says → 400", async () => {
    const e = newEntity();
    const problem = await expectProblem(await putRaw(e.path, '{"a":1}', { "Content-Encoding": "gzip" }), 400);
    expect(problem.detail).toContain("Content-Encoding");
    expect(await status(e.path)).toBe(404);
  });

  it("an unsupported coding → 415 with Accept-Encoding, not a misleading invalid JSON", async () => {
    const e = newEntity();
    const res = await putRaw(e.path, "\x1b\x00", { "Content-Encoding": "br" });
    expect(res.headers.get("Accept-Encoding")).toBe("gzip, deflate, identity");
    const problem = await expectProblem(res, 415);
    expect(problem.detail).toContain("br");
    expect(await status(e.path)).toBe(404);
  });

  it("identity is no coding at all", async () => {
    const e = newEntity();
    expect((await putRaw(e.path, '{"a":1}', { "Content-Encoding": "identity" })).status).toBe(201);
  });

  it("the same write gzipped and plain is one request to an Idempotency-Key", async () => {
    const e = newEntity();
    const key = { "Idempotency-Key": unique("k") };
    const text = '{"a":1}';
    expect((await putRaw(e.path, text, key)).status).toBe(201);
    const replay = await putRaw(e.path, await gzip(text), { ...key, "Content-Encoding": "gzip" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });
});
