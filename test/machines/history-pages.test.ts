// A history page comes back from the ExecutionObject over RPC as one value, which workerd limits to
// 32 MiB, while the API accepts 1,000 events a page and an event may carry 256 KiB. A page is
// therefore cut by size too: it holds fewer events than asked, and its cursor (nextToken) goes on.
import { env } from "cloudflare:workers";
import { expect, describe as group, it } from "vitest";
import { aws, awsKey } from "../aws/support";
import { api, json, unique } from "../support/api";
import { putMachine, start } from "./support";

/** 50 passes through two states, each event carrying the 200 KB state: about 40 MB of events. */
const LOOP = {
  StartAt: "Init",
  States: {
    Init: { Type: "Pass", Assign: { i: 0 }, Next: "Loop" },
    Loop: { Type: "Pass", Assign: { "i.$": "States.MathAdd($i, 1)" }, Next: "More?" },
    "More?": {
      Type: "Choice",
      Choices: [{ Variable: "$i", NumericLessThan: 50, Next: "Loop" }],
      Default: "Done",
    },
    Done: { Type: "Succeed" },
  },
};
const INPUT = { pad: "x".repeat(200_000) };
/** ExecutionStarted, Init's two, 50 × (Loop's two + Choice's two), Done's two, ExecutionSucceeded. */
const EVENT_COUNT = 1 + 2 + 50 * 4 + 2 + 1;

type Page = { events: { id: number }[]; cursor: string | null };

group("history pages of large events", () => {
  it("GET …/history?limit=1000 answers fewer events and a cursor; paging on lists every event once", async () => {
    const machine = unique("big-loop");
    await putMachine(machine, LOOP);
    const run = await start(machine, { name: "l", input: INPUT }, "?wait=30");
    expect(run.body.status).toBe("SUCCEEDED");
    const ids: number[] = [];
    let cursor: string | null = "0";
    let pages = 0;
    while (cursor !== null) {
      const res = await api(
        "GET",
        `/v1/machines/${machine}/executions/l/history?limit=1000&cursor=${cursor}`,
      );
      expect(res.status).toBe(200);
      const page = await json<Page>(res);
      expect(page.events.length).toBeGreaterThan(0);
      ids.push(...page.events.map((e) => e.id));
      cursor = page.cursor;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(ids).toEqual(Array.from({ length: EVENT_COUNT }, (_, i) => i + 1));
  }, 120_000);

  it("GetExecutionHistory with maxResults 1000 pages forward and in reverse without a gap", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const created = await aws(key, "CreateStateMachine", {
      name: "big-loop",
      definition: JSON.stringify(LOOP),
      roleArn: "arn:aws:iam::123456789012:role/sfn",
    });
    const started = await aws(key, "StartExecution", {
      stateMachineArn: created.body.stateMachineArn,
      name: "l",
      input: JSON.stringify(INPUT),
    });
    await env.EXECUTIONS.getByName(`${tenant}/big-loop/l`).awaitEnd(30_000);
    const all = async (reverseOrder: boolean) => {
      const ids: number[] = [];
      let nextToken: string | undefined;
      do {
        const res = await aws(key, "GetExecutionHistory", {
          executionArn: started.body.executionArn,
          maxResults: 1000,
          reverseOrder,
          ...(nextToken ? { nextToken } : {}),
        });
        expect(res.status).toBe(200);
        ids.push(...(res.body.events as { id: number }[]).map((e) => e.id));
        nextToken = res.body.nextToken as string | undefined;
      } while (nextToken);
      return ids;
    };
    const forward = Array.from({ length: EVENT_COUNT }, (_, i) => i + 1);
    expect(await all(false)).toEqual(forward);
    expect(await all(true)).toEqual(forward.reverse());
  }, 120_000);
});
