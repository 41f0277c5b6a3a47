import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { ORIGIN, signIn } from "./support";

// The console's forms under the API's body rules (siblings of issue 11 #7 and #10): the platform's
// form parser turns a %FF into U+FFFD and keeps the last of two fields of one name; the console
// refuses both instead of storing a document that differs from what was sent.

/** A form (URL-encoded unless `type` is null, when fetch writes the multipart type) as a signed-in browser. */
async function newDocument(body: (csrf: string, id: string) => BodyInit, type: string | null = FORM) {
  const { cookie, csrf } = await signIn();
  const id = unique("e");
  const res = await exports.default.fetch(`${ORIGIN}/console/entities/doc`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, ...(type ? { "Content-Type": type } : {}) },
    body: body(csrf, id),
    redirect: "manual",
  });
  return { res, stored: await api("GET", `/v1/entities/doc/${id}`) };
}

const FORM = "application/x-www-form-urlencoded";

describe("console form bodies", () => {
  it.each([
    ["a %-escape that is not UTF-8", "%7B%22a%22%3A%22%FF%22%7D"],
    ["an overlong %-escape", "%7B%22a%22%3A%22%C0%AF%22%7D"],
    ["a malformed %-escape", "%7B%22a%22%3A%22%ZZ%22%7D"],
  ])("%s → 400, and nothing is stored", async (_name, encoded) => {
    const { res, stored } = await newDocument((csrf, id) => `_csrf=${csrf}&id=${id}&ttl=&body=${encoded}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("not valid");
    expect(stored.status).toBe(404);
  });

  it("a raw byte that is not UTF-8 → 400, and nothing is stored", async () => {
    const { res, stored } = await newDocument((csrf, id) => {
      const head = new TextEncoder().encode(`_csrf=${csrf}&id=${id}&ttl=&body=%7B%22a%22%3A%22`);
      return new Uint8Array([...head, 0xff, ...new TextEncoder().encode("%22%7D")]);
    });
    expect(res.status).toBe(400);
    expect(stored.status).toBe(404);
  });

  it("a field given twice → 400, not the last one silently", async () => {
    const { res, stored } = await newDocument(
      (csrf, id) => `_csrf=${csrf}&id=${id}&ttl=&body=%7B%22a%22%3A1%7D&body=%7B%22a%22%3A2%7D`,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("more than once");
    expect(stored.status).toBe(404);
  });

  it("a multipart body → 415: the console's forms are URL-encoded", async () => {
    const { res, stored } = await newDocument((csrf, id) => {
      const form = new FormData();
      form.set("_csrf", csrf);
      form.set("id", id);
      form.set("ttl", "");
      form.set("body", "{}");
      return form;
    }, null);
    expect(res.status).toBe(415);
    expect(stored.status).toBe(404);
  });

  it("a well-formed form is stored exactly: + is a space, %C3%A9 is é", async () => {
    const { res, stored } = await newDocument(
      (csrf, id) => `_csrf=${csrf}&id=${id}&ttl=&body=%7B%22a%22%3A%22caf%C3%A9+au+lait%22%7D`,
    );
    expect(res.status).toBe(303);
    expect(await json(stored)).toEqual({ a: "café au lait" });
  });
});
