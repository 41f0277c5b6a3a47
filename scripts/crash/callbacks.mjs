// Callbacks across crashes: an execution waits on a task token, the client sends it back under an
// Idempotency-Key; an acknowledged callback must end the execution with that output, and replay.
import { fail, sleep, until } from "./http.mjs";

export const callbacks = { started: 0, delivered: 0, list: [] };

export const approval = {
  StartAt: "Ask",
  States: {
    Ask: {
      Type: "Task",
      Resource: "edgestate:entity:put.waitForTaskToken",
      Parameters: {
        Type: "approval",
        "Id.$": "$$.Execution.Name",
        Body: { "n.$": "$.n", "token.$": "$$.Task.Token" },
      },
      HeartbeatSeconds: 3600,
      End: true,
    },
  },
};

export function callbackDriver(running) {
  return (async () => {
    let n = 0;
    while (running()) {
      const name = `cb-${n}`;
      const input = { n };
      n++;
      const s = await until("POST", "/v1/machines/approval/executions", {
        body: { name, input },
        headers: { "Idempotency-Key": `s-${name}` },
      });
      if (s.status !== 201) {
        fail(`start ${name}: ${s.status} ${s.text?.slice(0, 200)}`);
        continue;
      }
      callbacks.started++;
      let token = null;
      for (let i = 0; i < 100 && !token && running(); i++) {
        const t = await until("GET", `/v1/machines/approval/executions/${name}/tasks`);
        token = t.json?.items?.[0]?.taskToken ?? null;
        if (!token) await sleep(200);
      }
      if (!token) continue;
      const opts = {
        body: { taskToken: token, output: { approved: input.n } },
        headers: { "Idempotency-Key": `cb-${name}` },
      };
      const r = await until("POST", "/v1/callbacks/success", opts);
      if (r.status !== 200)
        fail(`callback ${name}: ${r.status} after ${r.tries} tries ${r.text?.slice(0, 200)}`);
      else {
        callbacks.delivered++;
        callbacks.list.push({ name, n: input.n, opts, reply: r });
      }
      await sleep(300 + Math.random() * 500);
    }
  })();
}

export async function verifyCallbacks(deadline) {
  for (const c of callbacks.list) {
    let r;
    do {
      r = await until("GET", `/v1/machines/approval/executions/${c.name}`, {}, deadline);
      if (r.json?.status === "RUNNING") await sleep(500);
    } while (r.json?.status === "RUNNING" && Date.now() < deadline);
    if (r.json?.status !== "SUCCEEDED" || JSON.stringify(r.json.output) !== JSON.stringify({ approved: c.n }))
      fail(
        `callback ${c.name} acknowledged, execution ${r.status} ${r.json?.status} ${JSON.stringify(r.json?.output)}`,
      );
    const again = await until("POST", "/v1/callbacks/success", c.opts);
    if (again.status !== c.reply.status || again.text !== c.reply.text)
      fail(`callback replay ${c.name}: ${again.status} ${again.text}`);
  }
}
