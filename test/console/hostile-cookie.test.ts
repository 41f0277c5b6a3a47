import { describe, expect, it } from "vitest";
import { encodeBase64Url } from "../../src/core/encoding";
import { TEST_ADMIN_KEY } from "../support/test-secrets";
import { page } from "./support";

// A console cookie is client input, and so is the sign-in page's `next` (issue 11 #13).

const cookieOf = (fields: Record<string, unknown>) =>
  `edgestate_console=${encodeBase64Url(new TextEncoder().encode(JSON.stringify(fields)))}`;
const good = { key: TEST_ADMIN_KEY, tenant: "default", admin: true, nonce: "A".repeat(22) };

describe("a malformed console cookie is no sign-in, never a 500", () => {
  it.each([
    ["a CR/LF in the key", { ...good, key: `${TEST_ADMIN_KEY}\r\nX-Injected: 1` }],
    ["a NUL in the key", { ...good, key: `${TEST_ADMIN_KEY}\u0000` }],
    ["an empty key", { ...good, key: "" }],
    ["a CR/LF in the tenant", { ...good, tenant: "default\r\nX-Injected: 1" }],
    ["a NUL in the tenant", { ...good, tenant: "de\u0000fault" }],
    ["a tenant the API would refuse", { ...good, tenant: "Not A Tenant" }],
    ["an empty nonce", { ...good, nonce: "" }],
    ["a NUL in the nonce", { ...good, nonce: `${"A".repeat(21)}\u0000` }],
    ["a repeated field", null],
  ])("%s → the sign-in page", async (_name, fields) => {
    const cookie =
      fields === null
        ? `edgestate_console=${encodeBase64Url(new TextEncoder().encode(`{"key":"${TEST_ADMIN_KEY}","key":"x","tenant":"default","admin":true,"nonce":"${"A".repeat(22)}"}`))}`
        : cookieOf(fields);
    for (const path of ["/console", "/console/entities", "/console/machines"]) {
      const res = await page(path, { cookie });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(303);
      expect(res.headers.get("Location")).toMatch(/^\/console\/sign-in\?next=/);
    }
    const form = await page("/console/sign-in", { cookie });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="key"');
  });

  it("a well-formed cookie still signs in (the checks are not too strict)", async () => {
    const res = await page("/console", { cookie: cookieOf(good) });
    expect(res.status).toBe(200);
  });

  it("an unsafe request with a malformed cookie is refused as signed out", async () => {
    const res = await page("/console/sign-out", { cookie: cookieOf({ ...good, key: "" }), form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console/sign-in?reason=signed-out");
  });
});

describe("sign-in's next never leaves the console", () => {
  it.each([
    "/console/../v1/keys",
    "/console/%2e%2e/v1/keys",
    "/console/.%2E/v1/keys",
    "/console/%2E%2E/%2E%2E/v1/keys",
    "/console/entities/../../v1/keys",
    "/console\\..\\v1\\keys",
    "/console/\t../v1/keys",
    "/console/\n/../../v1",
    "/consolex",
    "/console@evil.example",
  ])("%s → /console", async (next) => {
    const res = await page("/console/sign-in", { form: { key: TEST_ADMIN_KEY, tenant: "", next } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console");
    const shown = await page(`/console/sign-in?next=${encodeURIComponent(next)}`);
    expect(await shown.text()).toContain('name="next" value="/console"');
  });

  it("a console path with dot segments that stays inside is kept, resolved", async () => {
    const res = await page("/console/sign-in", {
      form: { key: TEST_ADMIN_KEY, tenant: "", next: "/console/entities/../machines?x=1" },
    });
    expect(res.headers.get("Location")).toBe("/console/machines?x=1");
  });
});
