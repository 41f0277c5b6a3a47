// The console's main journeys in Chromium against `wrangler dev`: sign in, build a machine from a
// sample, run it and watch it finish, read its history, hit an entity edit conflict, revoke
// sessions, sign out. Screenshots of each main page land in test-output/screenshots/.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, launch, newPage, screenshot, unique } from "./support";

// Just what the page functions below touch (the test program has no DOM lib).
interface TextArea {
  value: string;
  selectionStart: number;
  selectionEnd: number;
  dispatchEvent(event: Event): boolean;
}
interface Img {
  complete: boolean;
  naturalWidth: number;
}

let browser: Browser;
let page: Page;
const machine = unique("hello");

beforeAll(async () => {
  browser = await launch();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
});

describe("the console in a browser", () => {
  it("sends a visitor to the sign-in form and signs in with the admin key", async () => {
    await page.goto(`${baseUrl()}/`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await screenshot(page, "01-sign-in");

    await page.fill("#key", "esk_admin_not-the-key");
    await page.click("button[type=submit]");
    await expect.poll(() => page.textContent(".alert.error")).toContain("unknown or revoked");

    await page.fill("#key", (await import("vitest")).inject("adminKey"));
    await page.click("button[type=submit]");
    await page.waitForURL(`${baseUrl()}/console`);
    const cookie = (await page.context().cookies()).find((c) => c.name === "edgestate_console");
    // Chromium keeps a Secure cookie set over http://127.0.0.1: loopback is a secure context.
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/console" });
    await expect.poll(() => page.evaluate("document.cookie")).toBe("");
    await screenshot(page, "02-home");
  });

  it("creates a machine from a sample, with live validation and a preview", async () => {
    await page.click("nav.sections >> text=State machines");
    await page.click("text=New machine");
    await page.click("nav.filters >> text=Hello world");
    await page.fill("#machine-name", machine);
    await page.waitForSelector("#preview img");
    await expect.poll(() => page.textContent("#validity")).toBe("Valid definition");

    // Break a transition: the diagnostic appears at its JSON pointer, and clicking it selects the key.
    await page.locator("#definition").evaluate((el: TextArea) => {
      el.value = el.value.replace('"Next": "Pause"', '"Next": "Nowhere"');
      el.dispatchEvent(new Event("input"));
    });
    const pointer = page.locator('#diagnostics button.pointer[data-pointer="/States/Greet/Next"]');
    await pointer.waitFor();
    await screenshot(page, "03-editor-diagnostics");
    await pointer.click();
    const selected = await page
      .locator("#definition")
      .evaluate((el: TextArea) => el.value.slice(el.selectionStart, el.selectionEnd));
    expect(selected).toBe('"Next"');

    await page.click("button[data-format=definition]");
    await page.locator("#definition").evaluate((el: TextArea) => {
      el.value = el.value.replace('"Next": "Nowhere"', '"Next": "Pause"');
      el.dispatchEvent(new Event("input"));
    });
    await expect.poll(() => page.textContent("#validity")).toBe("Valid definition");
    await screenshot(page, "04-new-machine");
    await page.click("text=Create machine");
    await page.waitForURL(`${baseUrl()}/console/machines/${machine}?saved=1`);
    await expect.poll(() => page.textContent(".alert.ok")).toContain("Saved version 1.");
  });

  it("shows the machine's diagram", async () => {
    const diagram = page.locator(".diagram img").first();
    await expect
      .poll(() => diagram.evaluate((img: Img) => img.complete && img.naturalWidth))
      .toBeGreaterThan(100);
    await screenshot(page, "05-machine");
    await page.click(".crumbs >> text=State machines");
    // The list is the KV index, refreshed just after the write.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator(`a:has-text("${machine}")`).count();
      })
      .toBe(1);
    await screenshot(page, "05b-machines");
    await page.click(`a:has-text("${machine}")`);
  });

  it("starts an execution and watches it finish without reloading", async () => {
    await page.fill("#input", '{ "name": "Ada" }');
    await page.fill("#execution-name", "first-run");
    await page.click("text=Start execution");
    await page.waitForURL(`${baseUrl()}/console/machines/${machine}/executions/first-run`);
    await page.locator(".title-row .status-running").waitFor();
    await screenshot(page, "06-execution-running");
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    const refreshes: string[] = [];
    page.on("request", (r) => {
      const why = r.headers()["x-console-poll"];
      if (why) refreshes.push(why);
    });
    // The sample waits two seconds; the page redraws as the execution's events commit (it watches
    // them over Server-Sent Events; polling is only its fallback).
    await page.locator(".title-row .status-succeeded").waitFor({ timeout: 20_000 });
    expect(navigations).toBe(0);
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((why) => why === "watch")).toBe(true);
    expect(await page.getAttribute("body", "data-poll")).toBeNull();
    expect(await page.getAttribute("body", "data-watch")).toBeNull();
    await expect
      .poll(() => page.locator(".diagram img").evaluate((img: Img) => img.naturalWidth))
      .toBeGreaterThan(100);
    expect(await page.textContent("#live")).toContain('"greeting": "Hello, Ada!"');
    await screenshot(page, "07-execution-succeeded");
  });

  it("opens the execution's history", async () => {
    const types = await page.locator(".timeline .type").allTextContents();
    expect(types[0]).toBe("ExecutionStarted");
    expect(types).toContain("WaitStateEntered");
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    await page.locator(".timeline details summary").first().click();
    expect(await page.locator(".timeline details[open] pre").first().textContent()).toContain("Ada");

    await page.click(".crumbs >> text=Executions");
    await page.click("nav.filters >> text=succeeded");
    expect(await page.locator("tbody tr").count()).toBe(1);
    await page.click("nav.filters >> text=failed");
    expect(await page.textContent(".card")).toContain("No executions yet.");
    await page.click("nav.filters >> text=succeeded");
    await screenshot(page, "08-executions");
  });

  it("stops a running execution", async () => {
    const wait = { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 600, End: true } } };
    const name = unique("waits");
    expect((await api("PUT", `/v1/machines/${name}`, wait)).status).toBe(201);
    await page.goto(`${baseUrl()}/console/machines/${name}`);
    await page.click("text=Start execution");
    await page.locator(".title-row .status-running").waitFor();
    await page.click("button:has-text('Stop')");
    await page.locator(".title-row .status-aborted").waitFor();
    expect(await page.textContent("#live")).toContain("ExecutionAborted");
  });

  it("edits an entity and shows a concurrent change as a conflict, not an overwrite", async () => {
    const id = unique("u");
    expect((await api("PUT", `/v1/entities/user/${id}?ttl=3600`, { name: "Ada", plan: "free" })).status).toBe(
      201,
    );
    await page.click("nav.sections >> text=Entities");
    await page.fill("#open-type", "user");
    await page.fill("#open-id", id);
    await page.click("form:has(#open-id) button[type=submit]");
    await page.waitForURL(`${baseUrl()}/console/entities/user/${id}`);
    await screenshot(page, "09-entity");

    await page.fill("#edit-body", '{ "name": "Ada", "plan": "pro" }');
    // Someone else writes version 2 while the form still holds version 1.
    expect(
      (
        await api(
          "PATCH",
          `/v1/entities/user/${id}`,
          { plan: "team" },
          { "Content-Type": "application/merge-patch+json" },
        )
      ).status,
    ).toBe(200);
    await page.click("button:has-text('Save as version 2')");
    await expect.poll(() => page.textContent(".alert.warn")).toContain("Conflict: not saved.");
    expect(await page.inputValue("#edit-body")).toContain('"plan": "pro"');
    expect(await page.textContent("pre.json")).toContain('"plan": "team"');
    expect((await api("GET", `/v1/entities/user/${id}`)).body).toEqual({ name: "Ada", plan: "team" });
    await screenshot(page, "10-entity-conflict");

    // Saving again, knowingly, replaces version 2 and keeps the TTL.
    await page.click("button:has-text('Save as version 3')");
    await expect.poll(() => page.textContent(".alert.ok")).toContain("Saved version 3.");
    const read = await api("GET", `/v1/entities/user/${id}`);
    expect(read.body).toEqual({ name: "Ada", plan: "pro" });
    expect(read.headers.get("Edgestate-Expires")).not.toBeNull();
    expect(await page.locator("table tbody tr").count()).toBe(3);

    await page.goto(`${baseUrl()}/console/entities/user`);
    await expect.poll(() => page.locator(`a:has-text("${id}")`).count()).toBe(1);
    await screenshot(page, "11-entity-type");
  });

  it("defines an index on an entity type's page, waits for its build and runs a query", async () => {
    const type = unique("orders");
    for (const [id, customer, at] of [
      ["o1", "c-42", "2026-03-01"],
      ["o2", "c-7", "2026-02-01"],
      ["o3", "c-42", "2026-01-15"],
    ]) {
      expect((await api("PUT", `/v1/entities/${type}/${id}`, { customer, at, total: 10 })).status).toBe(201);
    }
    await page.goto(`${baseUrl()}/console/entities/${type}`);
    await page.fill("#index-name", "by-customer");
    await page.fill("#index-keys", "/customer");
    await page.fill("#index-sort", "/at");
    await page.click("button:has-text('Create index')");
    await expect.poll(() => page.textContent(".alert.ok")).toContain("Index by-customer created");
    // Built over the three existing orders by the catalog's alarm; the page shows ACTIVE once done.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("table.indexes .status-active").count();
      })
      .toBe(1);
    await page.click("table.indexes a:has-text('by-customer')");
    await page.fill("#k0", "c-42");
    await page.selectOption("#order", "desc");
    await page.check("input[name=include]");
    await page.click("button:has-text('Run query')");
    await page.locator(".results table").waitFor();
    const ids = await page.locator(".results tbody tr td:first-child > a").allTextContents();
    expect(ids).toEqual(["o1", "o3"]);
    expect(await page.textContent(".results")).toContain('"total": 10');
    await screenshot(page, "11b-entity-index-query");
  });

  it("revokes one session, then all of a subject's", async () => {
    const subject = `${unique("ada")}@example.com`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api("POST", "/v1/sessions", { subject, data: { device: `laptop-${i}` } });
      ids.push((created.body as { id: string }).id);
    }
    await page.click("nav.sections >> text=Sessions");
    await screenshot(page, "12-sessions");
    await page.fill("#subject", subject);
    await page.click("button:has-text('Show')");
    expect(await page.locator("tbody tr").count()).toBe(3);
    await screenshot(page, "13-subject");

    await page.locator("tbody tr").first().locator("button:has-text('Open')").click();
    expect(await page.textContent("pre.json")).toContain("laptop-0");
    expect(page.url()).not.toContain(ids[0]!);
    await screenshot(page, "14-session");
    await page.click(".title-row button:has-text('Revoke')");
    await expect.poll(() => page.textContent(".alert.ok")).toContain("The session is revoked.");
    expect(await page.locator("tbody tr").count()).toBe(2);
    expect((await api("GET", `/v1/sessions/${ids[0]}`)).status).toBe(404);

    await page.click("button:has-text('Revoke all (2)')");
    await expect.poll(() => page.textContent(".alert.ok")).toContain("Revoked 2 sessions.");
    for (const id of ids.slice(1)) expect((await api("GET", `/v1/sessions/${id}`)).status).toBe(404);
  });

  it("creates a JSONata machine with variables from its sample and runs it", async () => {
    const name = `${machine}-jsonata`;
    await page.goto(`${baseUrl()}/console/machines/~new`);
    await page.click("nav.filters >> text=JSONata and variables");
    await page.fill("#machine-name", name);
    await page.waitForSelector("#preview img");
    await expect.poll(() => page.textContent("#validity")).toBe("Valid definition");
    await screenshot(page, "15-jsonata-editor");
    await page.click("text=Create machine");
    await page.waitForURL(`${baseUrl()}/console/machines/${name}?saved=1`);
    await page.fill(
      "#input",
      '{"customer":"Ada","items":[{"sku":"book","price":12},{"sku":"lamp","price":30}]}',
    );
    await page.fill("#execution-name", "jsonata-run");
    await page.click("text=Start execution");
    await page.waitForURL(`${baseUrl()}/console/machines/${name}/executions/jsonata-run`);
    await page.locator(".title-row .status-succeeded").waitFor({ timeout: 20_000 });
    expect(await page.textContent("#live")).toContain("Ada: lamp at 27");
    await screenshot(page, "16-jsonata-execution");
  });

  it("signs out", async () => {
    await page.click("button:has-text('Sign out')");
    await page.waitForURL(/\/console\/sign-in\?reason=bye$/);
    expect((await page.context().cookies()).some((c) => c.name === "edgestate_console")).toBe(false);
    await page.goto(`${baseUrl()}/console/machines`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
  });
});
