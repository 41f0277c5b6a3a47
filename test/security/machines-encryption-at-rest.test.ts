import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { expectProblem } from "../support/problem";
import { flipOneByte } from "../support/tamper";
import { dumpExecutionStorage, dumpMachineStorage, execInExecution, seedMachine } from "./machines-support";
import { dumpKv } from "./support";

const SEALED = /^es1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

describe("executions: encryption at rest", () => {
  // Tampering makes 500s on purpose; each logs its cause, captured here.
  const errorLog = captureErrorLog();

  it("leaves no trace of input, output, definition, history or a stop's cause in raw storage or KV", async () => {
    const tenant = unique("xenc");
    const machine = unique("m");
    const marker = `MARKER-${crypto.randomUUID()}`;
    await seedMachine(tenant, machine, {
      StartAt: "Copy",
      States: {
        Copy: { Type: "Pass", Parameters: { "secret.$": "$.secret", note: `${marker}-def` }, Next: "Hold" },
        Hold: { Type: "Wait", Seconds: 3600, End: true },
      },
    });
    const ran = await api("POST", `/v1/machines/${machine}/executions`, {
      tenant,
      body: { name: "run", input: { secret: marker, list: [marker] } },
    });
    expect(ran.status).toBe(201);
    await expect
      .poll(
        async () =>
          (
            await json<{ currentStates: string[] }>(
              await api("GET", `/v1/machines/${machine}/executions/run`, { tenant }),
            )
          ).currentStates,
      )
      .toEqual(["Hold"]);
    const stop = await api("POST", `/v1/machines/${machine}/executions/run/stop`, {
      tenant,
      body: { error: "Stopped", cause: `${marker}-cause` },
    });
    expect(stop.status).toBe(200);
    await expect
      .poll(async () => (await dumpKv(`x/${tenant}/`)).map((k) => (k.metadata as { s: string }).s))
      .toEqual(["ABORTED"]);

    const raw = await dumpExecutionStorage(tenant, machine, "run");
    const definition = await dumpMachineStorage(tenant, machine);
    const kv = [...(await dumpKv(`x/${tenant}/`)), ...(await dumpKv(`m/${tenant}/`))];
    const everything = JSON.stringify({ raw, definition, kv });
    expect(everything).not.toContain("MARKER");

    // Every stored payload is a sealed value naming its key.
    const history = raw.tables.history!;
    expect(history.length).toBeGreaterThan(4);
    for (const row of history) expect(row.body).toMatch(SEALED);
    const stored = Object.fromEntries(raw.kv);
    expect(stored.snapshot).toMatch(SEALED);
    expect(stored.definition).toMatch(SEALED);
    for (const row of definition.tables.versions!) expect(row.definition).toMatch(SEALED);

    // …and yet the API reads it all back.
    const described = await api("GET", `/v1/machines/${machine}/executions/run`, { tenant });
    expect(await json(described)).toMatchObject({
      status: "ABORTED",
      input: { secret: marker },
      cause: `${marker}-cause`,
    });
    const events = await api("GET", `/v1/machines/${machine}/executions/run/history`, { tenant });
    expect(JSON.stringify(await json(events))).toContain(`${marker}-cause`);
  });

  it("a flipped ciphertext byte in a stored history event is a clean 500 problem on GET history", async () => {
    const tenant = unique("xenc");
    const machine = unique("m");
    await seedMachine(tenant, machine);
    const ran = await api("POST", `/v1/machines/${machine}/executions?wait=5`, {
      tenant,
      body: { name: "run", input: { v: 1 } },
    });
    expect(ran.status).toBe(200);
    const [row] = await execInExecution(tenant, machine, "run", "SELECT body FROM history WHERE id = 2");
    await execInExecution(
      tenant,
      machine,
      "run",
      "UPDATE history SET body = ? WHERE id = 2",
      flipOneByte(String(row!.body)),
    );

    const res = await api("GET", `/v1/machines/${machine}/executions/run/history`, { tenant });
    const body = await expectProblem(res, 500);
    expect(body.type).toBe("urn:edgestate:problem:undecryptable");
    expect(body.detail).toContain('key "k1"');
    expect(JSON.stringify(body)).not.toMatch(/\bat .*:\d+:\d+|es1\.k1\./);
    expect(errorLog.serverProblems()).toEqual([
      expect.objectContaining({ requestId: body.instance, type: "undecryptable" }),
    ]);
    // The first page before the tampered event still reads; the execution itself is intact.
    const first = await api("GET", `/v1/machines/${machine}/executions/run/history?limit=1`, { tenant });
    expect(first.status).toBe(200);
    expect((await api("GET", `/v1/machines/${machine}/executions/run`, { tenant })).status).toBe(200);
  });

  it("a history event copied to another execution fails to open there", async () => {
    const tenant = unique("xenc");
    const machine = unique("m");
    await seedMachine(tenant, machine);
    for (const name of ["a", "b"]) {
      const ran = await api("POST", `/v1/machines/${machine}/executions?wait=5`, {
        tenant,
        body: { name, input: { who: name } },
      });
      expect(ran.status).toBe(200);
    }
    const [row] = await execInExecution(tenant, machine, "a", "SELECT body FROM history WHERE id = 1");
    await execInExecution(tenant, machine, "b", "UPDATE history SET body = ? WHERE id = 1", row!.body);
    await expectProblem(await api("GET", `/v1/machines/${machine}/executions/b/history`, { tenant }), 500);
  });
});
