// What a user looks for first: the home page's counts and recent executions, the entities page's
// types, and a task waiting for a callback finished from its execution's page.
import { describe, expect, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { page, signIn } from "./support";

const approval = (type: string) => ({
  StartAt: "Ask",
  States: {
    Ask: {
      Type: "Task",
      Resource: "edgestate:entity:put.waitForTaskToken",
      Parameters: { Type: type, "Id.$": "$$.Execution.Name", Body: { "token.$": "$$.Task.Token" } },
      Catch: [{ ErrorEquals: ["Rejected"], Next: "Refused" }],
      End: true,
    },
    Refused: { Type: "Pass", Result: "refused", End: true },
  },
});

async function waitingExecution(tenant: string) {
  const machine = unique("approve");
  expect((await api("PUT", `/v1/machines/${machine}`, { tenant, body: approval("approval") })).status).toBe(
    201,
  );
  const run = unique("r");
  expect(
    (await api("POST", `/v1/machines/${machine}/executions`, { tenant, body: { name: run } })).status,
  ).toBe(201);
  return { machine, run, path: `/console/machines/${machine}/executions/${run}` };
}

const description = async (tenant: string, machine: string, run: string) =>
  json<{ status: string; output: unknown }>(
    await api("GET", `/v1/machines/${machine}/executions/${run}`, { tenant }),
  );

describe("console discovery", () => {
  it("shows counts and the newest executions across machines on the home page", async () => {
    const tenant = unique("tn");
    const { run } = await waitingExecution(tenant);
    await issueKey(tenant);
    expect((await api("PUT", "/v1/entities/invoice/i-1", { tenant, body: {} })).status).toBe(201);
    const { cookie } = await signIn(undefined, tenant);
    await expect.poll(async () => (await page("/console", { cookie })).text()).toContain(run);
    const html = await (await page("/console", { cookie })).text();
    const stat = (label: string) =>
      new RegExp(`<span class="stat-value">(\\d+\\+?)</span><span class="stat-label">${label}`).exec(
        html,
      )?.[1];
    expect(stat("state machines")).toBe("1");
    expect(stat("running executions")).toBe("1");
    expect(stat("API keys")).toBe("1");
    // invoice, and the approval the waiting task wrote.
    await expect
      .poll(async () => (await page("/console", { cookie })).text())
      .toMatch(/<span class="stat-value">2<\/span><span class="stat-label">entity types/);
  });

  it("lists the tenant's entity types on the entities page", async () => {
    const tenant = unique("tn");
    for (const type of ["invoice", "customer"]) {
      expect((await api("PUT", `/v1/entities/${type}/one`, { tenant, body: {} })).status).toBe(201);
    }
    const { cookie } = await signIn(undefined, tenant);
    await expect
      .poll(async () => (await page("/console/entities", { cookie })).text())
      .toMatch(
        /href="\/console\/entities\/customer">customer<\/a>.*href="\/console\/entities\/invoice">invoice<\/a>/s,
      );
  });

  it("finishes a waiting task with its output from the execution page", async () => {
    const tenant = unique("tn");
    const { machine, run, path } = await waitingExecution(tenant);
    const { cookie, csrf } = await signIn(undefined, tenant);
    const shown = await (await page(path, { cookie })).text();
    expect(shown).toContain("Waiting for a callback");
    const task = /name="task" value="([^"]+)"/.exec(shown)![1]!;
    // The form names the task; the console reads its token from the API when it sends the callback.
    expect(shown).not.toContain('name="taskToken"');

    const refused = await page(`${path}/callback`, {
      cookie,
      form: { _csrf: csrf, task, outcome: "success", output: "{oops" },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("the output is not valid JSON");
    expect((await description(tenant, machine, run)).status).toBe("RUNNING");

    const sent = await page(`${path}/callback`, {
      cookie,
      form: { _csrf: csrf, task, outcome: "success", output: '{"approved": true, "by": "ada"}' },
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get("Location")).toBe(path);
    expect(await description(tenant, machine, run)).toMatchObject({
      status: "SUCCEEDED",
      output: { approved: true, by: "ada" },
    });
    const again = await page(`${path}/callback`, { cookie, form: { _csrf: csrf, task, outcome: "success" } });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("no longer waiting");
  });

  it("fails a waiting task with an error the machine catches", async () => {
    const tenant = unique("tn");
    const { machine, run, path } = await waitingExecution(tenant);
    const { cookie, csrf } = await signIn(undefined, tenant);
    const task = /name="task" value="([^"]+)"/.exec(await (await page(path, { cookie })).text())![1]!;
    const sent = await page(`${path}/callback`, {
      cookie,
      form: { _csrf: csrf, task, outcome: "failure", error: "Rejected", cause: "over budget" },
    });
    expect(sent.status).toBe(303);
    expect(await description(tenant, machine, run)).toMatchObject({ status: "SUCCEEDED", output: "refused" });
  });
});
