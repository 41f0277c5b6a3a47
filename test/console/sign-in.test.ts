import { describe, expect, it } from "vitest";
import { api, issueKey, unique } from "../support/api";
import { TEST_ADMIN_KEY } from "../support/test-secrets";
import { consoleCookie, page, signIn } from "./support";

describe("console sign-in", () => {
  it("redirects / to /console", async () => {
    const res = await page("/");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/console");
  });

  it("sends a visitor without a cookie to the sign-in form, remembering the page", async () => {
    const res = await page("/console/entities/user?prefix=a");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(
      "/console/sign-in?next=%2Fconsole%2Fentities%2Fuser%3Fprefix%3Da",
    );
    const form = await page("/console/sign-in?next=%2Fconsole%2Fentities%2Fuser");
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="next" value="/console/entities/user"');
  });

  it("sets an HttpOnly, Secure, SameSite=Strict cookie scoped to /console after checking the key", async () => {
    const res = await page("/console/sign-in", {
      form: { key: TEST_ADMIN_KEY, tenant: "", next: "/console/entities" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console/entities");
    const set = res.headers.getSetCookie().find((c) => c.startsWith("edgestate_console="))!;
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\/console(;|$)/);
    const home = await page("/console", { cookie: consoleCookie(res)! });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Sign out");
  });

  it("refuses an unknown key with a message and no cookie", async () => {
    const res = await page("/console/sign-in", { form: { key: "esk_admin_wrong", tenant: "" } });
    expect(res.status).toBe(401);
    expect(consoleCookie(res)).toBeUndefined();
    expect(await res.text()).toContain("That API key is unknown or revoked.");
  });

  it("refuses an empty key and a malformed tenant", async () => {
    expect((await page("/console/sign-in", { form: { key: "", tenant: "" } })).status).toBe(400);
    const res = await page("/console/sign-in", { form: { key: TEST_ADMIN_KEY, tenant: "Not A Tenant" } });
    expect(res.status).toBe(400);
    expect(consoleCookie(res)).toBeUndefined();
  });

  it("keeps a tenant key on its own tenant", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant);
    const other = await page("/console/sign-in", { form: { key, tenant: "someone-else" } });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain(`This key belongs to tenant &quot;${tenant}&quot;`);
    const { cookie } = await signIn(key);
    expect(await (await page("/console", { cookie })).text()).toContain(`<strong>${tenant}</strong>`);
  });

  it("never redirects outside the console after sign-in", async () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/console\\@evil", "/v1/keys"]) {
      const res = await page("/console/sign-in", { form: { key: TEST_ADMIN_KEY, tenant: "", next } });
      expect(res.headers.get("Location"), next).toBe("/console");
    }
  });

  it("signs out a browser whose key was revoked since", async () => {
    const key = await issueKey(unique("rev"));
    const { cookie } = await signIn(key);
    const id = key.split("_")[1]!;
    const keys = (await (await api("GET", "/v1/keys?limit=1000")).json()) as { items: { id: string }[] };
    const found = keys.items.find((k) => key.includes(k.id));
    expect(found, id).toBeDefined();
    expect((await api("DELETE", `/v1/keys/${found!.id}`)).status).toBe(204);
    const res = await page("/console/entities/user", { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console/sign-in?reason=signed-out");
    expect(res.headers.getSetCookie().join()).toMatch(/edgestate_console=;.*Max-Age=0/);
  });
});

describe("console sign-out", () => {
  it("clears the cookie on a form post with the token", async () => {
    const { cookie, csrf } = await signIn();
    const res = await page("/console/sign-out", { cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console/sign-in?reason=bye");
    const cleared = res.headers.getSetCookie().find((c) => c.startsWith("edgestate_console="))!;
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toMatch(/Path=\/console/);
  });

  it("refuses a sign-out without the token (no logout CSRF)", async () => {
    const { cookie } = await signIn();
    const res = await page("/console/sign-out", { cookie, form: {} });
    expect(res.status).toBe(403);
    expect(consoleCookie(res)).toBeUndefined();
  });
});
