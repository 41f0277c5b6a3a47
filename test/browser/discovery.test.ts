// What a user looks for first, in Chromium at a phone's width: the home page's counts and recent
// executions, the tenant's entity types, an API key issued (its secret shown once) and revoked, and
// a task waiting for a callback finished from its execution's page while that page refreshes.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, launch, screenshot, signIn, unique } from "./support";

let browser: Browser;
let page: Page;
const tenant = unique("shop");
const machine = unique("approval");
const type = unique("approval");

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  const waits = {
    StartAt: "Ask",
    States: {
      Ask: {
        Type: "Task",
        Resource: "edgestate:entity:put.waitForTaskToken",
        Parameters: { Type: type, "Id.$": "$$.Execution.Name", Body: { "token.$": "$$.Task.Token" } },
        End: true,
      },
    },
  };
  const headers = { "Edgestate-Tenant": tenant };
  expect((await api("PUT", `/v1/machines/${machine}`, waits, headers)).status).toBe(201);
  for (const name of ["order-1", "order-2"]) {
    expect((await api("POST", `/v1/machines/${machine}/executions`, { name }, headers)).status).toBe(201);
  }
  await signIn(page, tenant);
});

afterAll(async () => {
  await browser?.close();
});

describe("discovery in the console", () => {
  it("shows counts and the newest executions on the home page", async () => {
    await expect
      .poll(async () => {
        await page.goto(`${baseUrl()}/console`);
        return page.locator("tbody tr").count();
      })
      .toBe(2);
    expect(await page.locator(".stat").first().textContent()).toContain("1state machines");
    expect(await page.locator("tbody tr").first().textContent()).toContain("order-2");
    await screenshot(page, "discovery-390-home");
  });

  it("lists the tenant's entity types", async () => {
    await page.click("nav.sections >> text=Entities");
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator(".type-list a").allTextContents();
      })
      .toEqual([type]);
    await screenshot(page, "discovery-390-entities");
  });

  it("issues a key with its secret shown once, then revokes it", async () => {
    await page.click("nav.sections >> text=API keys");
    await page.fill("#key-name", "billing-worker");
    await page.uncheck("input[name=scope-write]");
    await page.click("button:has-text('Issue key')");
    const secret = (await page.textContent("#issued-key"))!.trim();
    expect(secret).toMatch(/^esk_[0-9a-f]{24}_/);
    await screenshot(page, "discovery-390-key-issued");
    expect(
      (await fetch(`${baseUrl()}/v1/machines`, { headers: { Authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);
    await page.reload();
    expect(await page.locator("#issued-key").count()).toBe(0);
    const row = page.locator("tr", { hasText: "billing-worker" });
    await row.locator("button:has-text('Revoke')").click();
    await expect.poll(() => page.textContent(".alert.ok")).toContain("refused from now on");
    expect(
      (await fetch(`${baseUrl()}/v1/machines`, { headers: { Authorization: `Bearer ${secret}` } })).status,
    ).toBe(401);
    await screenshot(page, "discovery-390-keys");
  });

  it("finishes a waiting task with its output from the execution page", async () => {
    // A waiting task commits no event, so a watching page has nothing to redraw for: this page
    // has no EventSource and polls instead, as a browser without one does, to show that what was
    // typed survives a redraw (the watching page redraws through the same code).
    const polling = await page.context().newPage();
    await polling.addInitScript(() => {
      Reflect.deleteProperty(globalThis, "EventSource");
    });
    await polling.goto(`${baseUrl()}/console/machines/${machine}/executions/order-1`);
    await polling.locator(".title-row .status-running").waitFor();
    const output = polling.locator(".callbacks textarea[name=output]");
    await output.fill('{ "approved": true, "by": "ada" }');
    await polling.waitForResponse((res) => res.request().headers()["x-console-poll"] === "poll");
    await polling.evaluate("new Promise((resolve) => requestAnimationFrame(resolve))");
    expect(await output.inputValue()).toContain('"by": "ada"');
    await screenshot(polling, "discovery-390-callback");
    await polling.click("button:has-text('Send success')");
    await polling.locator(".title-row .status-succeeded").waitFor({ timeout: 20_000 });
    expect(await polling.locator(".callbacks").count()).toBe(0);
    expect(await polling.textContent("#live")).toContain('"by": "ada"');
    await screenshot(polling, "discovery-390-callback-done");
    await polling.close();
  });

  it("fails a waiting task with an error and cause", async () => {
    await page.goto(`${baseUrl()}/console/machines/${machine}/executions/order-2`);
    await page.fill(".callbacks input[name=error]", "Rejected");
    await page.fill(".callbacks input[name=cause]", "over budget");
    await page.click("button:has-text('Send failure')");
    await page.locator(".title-row .status-failed").waitFor({ timeout: 20_000 });
    expect(await page.textContent(".alert.error")).toContain("Rejected: over budget");
  });
});
