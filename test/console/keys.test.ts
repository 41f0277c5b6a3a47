// The API keys page: the tenant's keys listed without secrets, a key issued with its secret shown
// once (on the answer to the form, never in a URL), a key revoked.
import { describe, expect, it } from "vitest";
import { api, issueKey, unique } from "../support/api";
import { page, signIn } from "./support";

const secretIn = (html: string) =>
  /<pre class="json secret" id="issued-key">(esk_[^<]+)<\/pre>/.exec(html)?.[1];

describe("console API keys", () => {
  it("issues a key, shows its secret once, and the key works", async () => {
    const tenant = unique("t");
    const { cookie, csrf } = await signIn(undefined, tenant);
    const issued = await page("/console/keys", {
      cookie,
      form: { _csrf: csrf, name: "billing", "scope-read": "on" },
    });
    // Post/redirect/get: reloading the page that shows the secret never issues a second key.
    expect(issued.status).toBe(303);
    const location = issued.headers.get("Location")!;
    expect(location).toMatch(/^\/console\/keys\?issued=[0-9a-f]{24}$/);
    const flash = issued.headers.getSetCookie().find((c) => c.startsWith("edgestate_issued_key="))!;
    expect(flash).toMatch(/Path=\/console\/keys/);
    expect(flash).toMatch(/HttpOnly/);
    expect(flash).toMatch(/SameSite=Strict/);
    expect(location).not.toContain("esk_");
    const shown = await page(location, { cookie: `${cookie}; ${flash.split(";")[0]}` });
    const html = await shown.text();
    expect(html).toContain("this is the only time it is shown");
    const secret = secretIn(html);
    expect(secret).toBeDefined();
    expect(shown.headers.getSetCookie().some((c) => /^edgestate_issued_key=;/.test(c))).toBe(true);
    // Once shown, a reload has only the id.
    const reloaded = await (await page(location, { cookie })).text();
    expect(secretIn(reloaded)).toBeUndefined();
    expect(reloaded).toContain("its secret was shown once");
    const read = await api("GET", "/v1/machines", { key: secret! });
    expect(read.status).toBe(200);
    expect((await api("PUT", "/v1/entities/user/u-1", { key: secret!, body: {} })).status).toBe(403);

    const listed = await (await page("/console/keys", { cookie })).text();
    expect(listed).toContain("billing");
    expect(listed).toContain(secret!.split("_")[1]);
    expect(listed).not.toContain(secret!);
  });

  it("shows a just-issued key only to its own tenant, and nothing from a forged cookie", async () => {
    const { cookie } = await signIn(undefined, unique("t"));
    const cookieOf = (value: unknown) =>
      `${cookie}; edgestate_issued_key=${btoa(JSON.stringify(value)).replaceAll("=", "")}`;
    const key = await issueKey(unique("other"));
    const id = key.split("_")[1]!;
    const theirs = { id, key, tenant: "other", name: "x", scopes: ["read"] };
    for (const forged of [theirs, { ...theirs, key: "<script>" }, "not json"]) {
      const html = await (await page(`/console/keys?issued=${id}`, { cookie: cookieOf(forged) })).text();
      expect(secretIn(html)).toBeUndefined();
      expect(html).not.toContain("<script>");
    }
  });

  it("lists only the tenant the console acts on", async () => {
    const [mine, theirs] = [unique("t"), unique("t")];
    const own = (await issueKey(mine)).split("_")[1]!;
    const other = (await issueKey(theirs)).split("_")[1]!;
    const { cookie } = await signIn(undefined, mine);
    const html = await (await page("/console/keys", { cookie })).text();
    expect(html).toContain(own);
    expect(html).not.toContain(other);
  });

  it("revokes a key: refused from the next request", async () => {
    const tenant = unique("t");
    const key = await issueKey(tenant);
    const { cookie, csrf } = await signIn(undefined, tenant);
    const res = await page("/console/keys/revoke", { cookie, form: { _csrf: csrf, id: key.split("_")[1]! } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("requests with it are refused from now on");
    expect((await api("GET", "/v1/machines", { key })).status).toBe(401);
  });

  it("tells a key without the admin scope why it cannot manage keys", async () => {
    const tenant = unique("t");
    const { cookie } = await signIn(await issueKey(tenant, ["read"]));
    const res = await page("/console/keys", { cookie });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("this key lacks the &quot;admin&quot; scope");
  });
});
