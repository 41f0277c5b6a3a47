// Executions with Wait states, an http:invoke task that fails its first attempt (Retry) against a
// server in this process, and an entity write; each must end SUCCEEDED with the expected output.
import { createServer } from "node:http";
import { fail, sleep, until } from "./http.mjs";

export const execs = { started: 0, calls: 0, duplicateCalls: 0, list: [] };
const callsByKey = new Map();

export function taskServer(port) {
  const server = createServer((rq, rs) => {
    let data = "";
    rq.on("data", (c) => (data += c));
    rq.on("end", () => {
      const key = String(rq.headers["idempotency-key"] ?? "");
      execs.calls++;
      const count = (callsByKey.get(key) ?? 0) + 1;
      callsByKey.set(key, count);
      if (count > 1) execs.duplicateCalls++;
      const n = JSON.parse(data || "{}").n;
      if (key.endsWith("/0")) {
        rs.writeHead(503, { "Content-Type": "application/json" }).end('{"busy":true}');
      } else rs.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ echo: n }));
    });
  });
  return new Promise((r) => server.listen(port, "127.0.0.1", () => r(server)));
}

export function definition(taskPort) {
  return {
    StartAt: "W1",
    States: {
      W1: { Type: "Wait", Seconds: 1, Next: "Call" },
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::http:invoke",
        Parameters: {
          ApiEndpoint: `http://127.0.0.1:${taskPort}/step`,
          Method: "POST",
          RequestBody: { "n.$": "$.n" },
        },
        ResultSelector: { "echo.$": "$.ResponseBody.echo" },
        ResultPath: "$.call",
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
        Next: "W2",
      },
      W2: { Type: "Wait", Seconds: 2, Next: "Save" },
      Save: {
        Type: "Task",
        Resource: "edgestate:entity:put",
        Parameters: { Type: "execout", "Id.$": "$$.Execution.Name", Body: { "n.$": "$.n" } },
        ResultSelector: { "v.$": "$.Version" },
        ResultPath: "$.save",
        Next: "Done",
      },
      Done: { Type: "Pass", End: true },
    },
  };
}

export function executionStarter(running) {
  return (async () => {
    let n = 0;
    while (running()) {
      const named = Math.random() < 0.6;
      const input = { n };
      const key = `start-${n}`;
      const body = named ? { name: `e-${n}`, input } : { input };
      n++;
      const r = await until("POST", "/v1/machines/crashm/executions", {
        body,
        headers: { "Idempotency-Key": key },
      });
      if (r.status !== 201) {
        fail(`start ${key}: ${r.status} after ${r.tries} tries ${r.text?.slice(0, 200)}`);
        continue;
      }
      execs.started++;
      execs.list.push({ name: r.json.name, n: input.n, key, body, reply: r });
      await sleep(500 + Math.random() * 700);
    }
  })();
}

export async function verifyExecutions(deadline) {
  let pending = [...execs.list];
  const done = [];
  while (pending.length && Date.now() < deadline) {
    const still = [];
    for (const e of pending) {
      const r = await until("GET", `/v1/machines/crashm/executions/${e.name}`, {}, deadline);
      if (r.status === 200 && r.json.status !== "RUNNING") done.push({ e, r });
      else still.push(e);
    }
    pending = still;
    if (pending.length) await sleep(1000);
  }
  for (const e of pending) fail(`execution ${e.name} still RUNNING at the deadline`);
  const took = done.map(({ e, r }) => ({
    name: e.name,
    s: (Date.parse(r.json.stoppedAt) - Date.parse(r.json.startedAt)) / 1000,
  }));
  took.sort((a, b) => b.s - a.s);
  console.log(`slowest executions: ${JSON.stringify(took.slice(0, 8))}`);
  for (const { e, r } of done) {
    const want = JSON.stringify({ n: e.n, call: { echo: e.n }, save: { v: 1 } });
    if (r.json.status !== "SUCCEEDED" || JSON.stringify(r.json.output) !== want)
      fail(
        `execution ${e.name}: ${r.json.status} ${JSON.stringify(r.json.output)} ${r.json.error ?? ""} ${r.json.cause ?? ""}`,
      );
    const again = await until("POST", "/v1/machines/crashm/executions", {
      body: e.body,
      headers: { "Idempotency-Key": e.key },
    });
    if (again.status !== e.reply.status || again.text !== e.reply.text)
      fail(`start replay ${e.key}: ${again.status} ${again.text}`);
  }
  return { finished: done.length, unfinished: pending.length };
}
