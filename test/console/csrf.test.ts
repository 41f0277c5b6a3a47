import { describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { TEST_ADMIN_KEY } from "../support/test-secrets";
import { consoleCookie, page, signIn } from "./support";

const create = (id: string) => ({ id, body: '{"a":1}', ttl: "" });

describe("console CSRF protection", () => {
  it("accepts a form with the token from this origin", async () => {
    const { cookie, csrf } = await signIn();
    const id = unique();
    const res = await page("/console/entities/note", { cookie, form: { ...create(id), _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/console/entities/note/${id}?saved=1`);
  });

  it("refuses a form without the token", async () => {
    const { cookie } = await signIn();
    const res = await page("/console/entities/note", { cookie, form: create(unique()) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("security token is missing or out of date");
  });

  it("refuses a wrong token, and a token from another sign-in", async () => {
    const { cookie } = await signIn();
    const other = await signIn();
    for (const token of ["nope", other.csrf]) {
      const res = await page("/console/entities/note", {
        cookie,
        form: { ...create(unique()), _csrf: token },
      });
      expect(res.status, token).toBe(403);
    }
  });

  it("refuses a form posted from another origin even with a valid token", async () => {
    const { cookie, csrf } = await signIn();
    const res = await page("/console/entities/note", {
      cookie,
      origin: "https://evil.example",
      form: { ...create(unique()), _csrf: csrf },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("sent from another site");
  });

  it("decides by Fetch Metadata when Origin is null or absent", async () => {
    const { cookie, csrf } = await signIn();
    const form = { ...create(unique()), _csrf: csrf };
    const nullCross = await page("/console/entities/note", {
      cookie,
      origin: "null",
      headers: { "Sec-Fetch-Site": "cross-site" },
      form,
    });
    expect(nullCross.status).toBe(403);
    expect((await page("/console/entities/note", { cookie, origin: null, form })).status).toBe(403);
    const nullSame = await page("/console/entities/note", {
      cookie,
      origin: "null",
      headers: { "Sec-Fetch-Site": "same-origin" },
      form,
    });
    expect(nullSame.status).toBe(303);
  });

  it("refuses a cross-site sign-in (login CSRF)", async () => {
    const res = await page("/console/sign-in", {
      origin: "https://evil.example",
      form: { key: TEST_ADMIN_KEY, tenant: "" },
    });
    expect(res.status).toBe(403);
    expect(consoleCookie(res)).toBeUndefined();
  });

  it("refuses a script request without the X-CSRF-Token header", async () => {
    const { cookie, csrf } = await signIn();
    const json = { definition: "{}" };
    const refused = await page("/console/machines/validate", { cookie, json });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ problem: { title: "Refused" } });
    const accepted = await page("/console/machines/validate", {
      cookie,
      json,
      headers: { "X-CSRF-Token": csrf },
    });
    expect(accepted.status).not.toBe(403);
  });
});
