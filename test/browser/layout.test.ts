// Every main page at a phone's width (390 px) and a desktop's (1280 px): nothing scrolls sideways,
// the header keeps the tenant box usable and Sign out whole, diagrams fit their box. Screenshots
// land in test-output/screenshots/layout-<width>-<page>.png, to be looked at.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, launch, screenshot, signIn, unique } from "./support";

// Just what the page functions below touch (the test program has no DOM lib).
interface Box {
  scrollWidth: number;
  clientWidth: number;
}

let browser: Browser;
const machine = unique("nightly-reconciliation-of-orders");
const execution = `run-${"7d2f9c41".repeat(6)}`;
const entityType = unique("invoice");

beforeAll(async () => {
  browser = await launch();
  const waits = {
    StartAt: "Approve",
    States: {
      Approve: {
        Type: "Task",
        Resource: "edgestate:entity:put.waitForTaskToken",
        Parameters: { Type: entityType, "Id.$": "$$.Execution.Name", Body: { "token.$": "$$.Task.Token" } },
        Next: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
  expect((await api("PUT", `/v1/machines/${machine}`, waits)).status).toBe(201);
  expect((await api("POST", `/v1/machines/${machine}/executions`, { name: execution })).status).toBe(201);
  expect((await api("PUT", `/v1/entities/${entityType}/inv-1`, { total: 12.5, lines: [1, 2] })).status).toBe(
    201,
  );
});

afterAll(async () => {
  await browser?.close();
});

const pages = () => [
  { name: "home", path: "/console" },
  { name: "machines", path: "/console/machines" },
  { name: "machine", path: `/console/machines/${machine}` },
  { name: "edit", path: `/console/machines/${machine}/edit` },
  { name: "execution", path: `/console/machines/${machine}/executions/${execution}` },
  { name: "entities", path: "/console/entities" },
  { name: "entity-type", path: `/console/entities/${entityType}` },
  { name: "entity", path: `/console/entities/${entityType}/inv-1` },
  { name: "sessions", path: "/console/sessions" },
  { name: "keys", path: "/console/keys" },
];

async function imagesLoaded(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate("[...document.images].every((img) => img.complete && img.naturalWidth > 0)"))
    .toBe(true);
}

for (const width of [390, 1280]) {
  describe(`the console at ${width} px`, () => {
    let page: Page;

    beforeAll(async () => {
      const context = await browser.newContext({ viewport: { width, height: 844 } });
      page = await context.newPage();
      await signIn(page);
    });

    for (const { name, path } of pages()) {
      it(`${name}: nothing scrolls sideways, the header is whole`, async () => {
        const res = await page.goto(`${baseUrl()}${path}`);
        expect(res?.status()).toBe(200);
        await imagesLoaded(page);
        await screenshot(page, `layout-${width}-${name}`);

        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        );
        expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
        const signOut = await page.locator("button:has-text('Sign out')").boundingBox();
        expect(signOut).not.toBeNull();
        expect(signOut!.x).toBeGreaterThanOrEqual(0);
        expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(width);
        const tenant = await page.locator(".tenant-switch input[name=tenant]").boundingBox();
        expect(tenant!.width, "the tenant box collapsed").toBeGreaterThanOrEqual(80);
        const switchButton = await page.locator(".tenant-switch button").boundingBox();
        expect(tenant!.x + tenant!.width, "the tenant box runs under its button").toBeLessThanOrEqual(
          switchButton!.x,
        );
        const header = await page.locator(".topbar").boundingBox();
        // One row on a desktop; on a phone two (brand and account, then the sections), never more.
        expect(header!.height).toBeLessThanOrEqual(width > 900 ? 56 : 110);
        for (const box of await page.locator(".diagram").all()) {
          const fits = await box.evaluate((el: Box) => el.scrollWidth <= el.clientWidth + 1);
          if (!fits) expect(width, "only a phone scrolls a diagram inside its box").toBeLessThan(600);
        }
      });
    }
  });
}
