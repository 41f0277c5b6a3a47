import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { consoleCookie, page, signIn } from "./support";

describe("console tenant choice", () => {
  it("acts on the tenant chosen at sign-in, through the API's tenant rules", async () => {
    const [mine, other] = [unique("t"), unique("t")];
    const id = unique();
    await api("PUT", `/v1/entities/note/${id}`, { tenant: mine, body: { owner: mine } });
    const inMine = await signIn(undefined, mine);
    expect((await page(`/console/entities/note/${id}`, { cookie: inMine.cookie })).status).toBe(200);
    const inOther = await signIn(undefined, other);
    expect((await page(`/console/entities/note/${id}`, { cookie: inOther.cookie })).status).toBe(404);
  });

  it("lets the root key switch tenants from the header bar", async () => {
    const tenant = unique("t");
    const { cookie, csrf } = await signIn();
    const res = await page("/console/tenant", {
      cookie,
      form: { _csrf: csrf, tenant, next: "/console/entities/note/x" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console/entities");
    const switched = consoleCookie(res)!;
    expect(await (await page("/console", { cookie: switched })).text()).toContain(`value="${tenant}"`);
    // The CSRF token is bound to the sign-in, not the tenant: it survives the switch.
    const again = await page("/console/tenant", {
      cookie: switched,
      form: { _csrf: csrf, tenant: "default" },
    });
    expect(again.status).toBe(303);
  });

  it("ignores a malformed tenant", async () => {
    const { cookie, csrf } = await signIn();
    const res = await page("/console/tenant", { cookie, form: { _csrf: csrf, tenant: "../Evil" } });
    expect(res.status).toBe(303);
    expect(consoleCookie(res)).toBeUndefined();
  });
});
