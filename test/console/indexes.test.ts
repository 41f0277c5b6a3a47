import { describe, expect, it } from "vitest";
import { newEntity, newType, put } from "../support/entities";
import { buildToEnd, defineIndex, delivered, describeIndex, statusOf } from "../support/indexes";
import { page, signIn } from "./support";

/** The query's results on the page (the documents card beside them lists every id of the type). */
const resultsOf = (html: string) =>
  html.slice(html.indexOf('class="stack results"'), html.indexOf("New index"));

describe("console: an entity type's indexes", () => {
  it("lists the type's indexes and runs a query, documents and paging included", async () => {
    const type = newType("ci");
    await defineIndex(type, "by-customer", { keys: ["/customer"], sort: "/at" });
    await buildToEnd(type, "by-customer");
    const refs = [newEntity(type), newEntity(type), newEntity(type)];
    for (const [i, ref] of refs.entries()) await put(ref, { customer: "c-42", at: i, note: "<i>hi</i>" });
    await delivered(refs);
    const { cookie } = await signIn();

    const listing = await (await page(`/console/entities/${type}`, { cookie })).text();
    expect(listing).toContain("by-customer");
    expect(listing).toContain("status-active");
    expect(listing).toContain("<code>/customer</code>");

    const params = new URLSearchParams({
      index: "by-customer",
      k0: "c-42",
      op: "gte",
      bound: "1",
      limit: "1",
      include: "documents",
    });
    const res = await page(`/console/entities/${type}?${params}`, { cookie });
    expect(res.status).toBe(200);
    const html = resultsOf(await res.text());
    expect(html).toContain(refs[1]!.id);
    expect(html).not.toContain(refs[0]!.id);
    expect(html).not.toContain(refs[2]!.id);
    expect(html).toContain("&lt;i&gt;hi&lt;/i&gt;");
    const next = /href="([^"]*cursor=[^"]*)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toBeDefined();
    const second = resultsOf(await (await page(next!, { cookie })).text());
    expect(second).toContain(refs[2]!.id);
  });

  it("defines a unique index from the form and marks it unique in the list; a plain one is not", async () => {
    const type = newType("cu");
    const { cookie, csrf } = await signIn();
    const define = (name: string, unique: boolean) =>
      page(`/console/entities/${type}/indexes`, {
        cookie,
        form: { _csrf: csrf, name, keys: "/email", sort: "", ...(unique ? { unique: "on" } : {}) },
      });
    expect((await define("by-email", true)).status).toBe(303);
    expect((await define("by-email-any", false)).status).toBe(303);
    const described = async (name: string) =>
      (await (await describeIndex(type, name)).json()) as { unique: boolean };
    expect((await described("by-email")).unique).toBe(true);
    expect((await described("by-email-any")).unique).toBe(false);

    const listing = await (await page(`/console/entities/${type}`, { cookie })).text();
    const rowOf = (name: string) => {
      const at = listing.indexOf(`>${name}</a>`);
      return listing.slice(at, listing.indexOf("</tr>", at));
    };
    expect(rowOf("by-email")).toContain(">unique</span>");
    expect(rowOf("by-email-any")).not.toContain("unique");
    // The form offers the choice, unchecked unless a refused draft asked for it.
    expect(listing).toContain('name="unique" value="on"');
  });

  it("shows the API's problem for a query it refuses", async () => {
    const type = newType("cq");
    await defineIndex(type, "i", { keys: ["/k"], sort: "/n" });
    await buildToEnd(type, "i");
    const { cookie } = await signIn();
    const params = new URLSearchParams({ index: "i", k0: "x", op: "beginsWith", bound: "a", limit: "5000" });
    const html = await (await page(`/console/entities/${type}?${params}`, { cookie })).text();
    expect(html).toContain("Query refused");
    expect(html).toContain("<code>/limit</code>");
  });

  it("defines an index from the form, and shows a refused definition with its pointers", async () => {
    const type = newType("cn");
    const { cookie, csrf } = await signIn();
    const created = await page(`/console/entities/${type}/indexes`, {
      cookie,
      form: { _csrf: csrf, name: "by-status", keys: "/status\n/region\n", sort: "/at" },
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("Location")).toBe(`/console/entities/${type}?indexCreated=by-status`);
    expect(await statusOf(type, "by-status")).toMatch(/BUILDING|ACTIVE/);

    const refused = await page(`/console/entities/${type}/indexes`, {
      cookie,
      form: { _csrf: csrf, name: "bad", keys: "status", sort: "" },
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Not created");
    expect(html).toContain("<code>/keys/0</code>");
  });
});
