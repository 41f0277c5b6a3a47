// An execution's snapshot holds every variable and every running Map iteration's data, so it grows
// past the 2 MB a Durable Object accepts per KV value in production (workerd here enforces no
// limit): sixteen 200 KB variables are a 3.2 MB snapshot. It is stored across keys; every test
// walks the object's storage for anything production would refuse.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { expect, describe as group, it } from "vitest";
import { getChunked, putChunked } from "../../src/objects/shell/chunks";
import { unique } from "../support/api";
import { expectWithinStorageLimits } from "../support/storage-limits";
import {
  BIG_VARIABLES,
  BIG_VARIABLES_OUTPUT,
  describe,
  executionObject,
  fireTimer,
  history,
  putMachine,
  start,
  types,
} from "./support";

const SIZE = 200_000;

group("an execution snapshot over 2 MB", () => {
  it("sixteen 200 KB variables: waits, survives eviction, succeeds with the right output", async () => {
    const machine = unique("big-vars");
    await putMachine(machine, BIG_VARIABLES);
    const started = await start(machine, { input: {} });
    expect(started.status).toBe(201);
    const stub = executionObject(machine, started.body.name);
    expect((await describe(machine, started.body.name)).status).toBe("RUNNING");
    await expectWithinStorageLimits(stub);
    await evictDurableObject(stub);
    await fireTimer(stub);
    const d = await describe(machine, started.body.name);
    expect(d).toMatchObject({ status: "SUCCEEDED", output: BIG_VARIABLES_OUTPUT });
    const events = await history(machine, started.body.name);
    expect(types(events).at(-1)).toBe("ExecutionSucceeded");
    await expectWithinStorageLimits(stub);
  }, 120_000);

  it("a snapshot stored whole under one key (before chunking) still loads", async () => {
    const machine = unique("big-legacy");
    await putMachine(machine, BIG_VARIABLES);
    const started = await start(machine, { input: {} });
    const stub = executionObject(machine, started.body.name);
    // Rewrite the stored snapshot as older code left it: the whole sealed text under "snapshot".
    await runInDurableObject(stub, (_i, state) => {
      const kv = state.storage.kv;
      const keys = [...kv.list({ prefix: "snapshot" })].map(([key]) => key);
      const n = kv.get<number>("snapshot#n") ?? 1;
      const whole = Array.from({ length: n }, (_, i) =>
        kv.get<string>(i ? `snapshot#${i}` : "snapshot"),
      ).join("");
      for (const key of keys) kv.delete(key);
      kv.put("snapshot", whole);
    });
    await evictDurableObject(stub);
    await fireTimer(stub);
    expect(await describe(machine, started.body.name)).toMatchObject({
      status: "SUCCEEDED",
      output: BIG_VARIABLES_OUTPUT,
    });
    await expectWithinStorageLimits(stub);
  }, 120_000);

  it("a Map of 40 concurrent iterations holding 200 KB each", async () => {
    const machine = unique("big-map");
    await putMachine(machine, {
      QueryLanguage: "JSONata",
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          Items: "{% [1..40] %}",
          MaxConcurrency: 40,
          ItemProcessor: {
            StartAt: "Fill",
            States: {
              Fill: { Type: "Pass", Output: `{% $pad("", ${SIZE}, "m") %}`, Next: "Hold" },
              Hold: { Type: "Wait", Seconds: 60, Next: "Measure" },
              Measure: { Type: "Pass", Output: "{% $length($states.input) %}", End: true },
            },
          },
          End: true,
        },
      },
    });
    const started = await start(machine, { input: {} });
    expect(started.status).toBe(201);
    const stub = executionObject(machine, started.body.name);
    await expectWithinStorageLimits(stub);
    await evictDurableObject(stub);
    await fireTimer(stub);
    const d = await describe(machine, started.body.name);
    expect(d).toMatchObject({ status: "SUCCEEDED", output: Array.from({ length: 40 }, () => SIZE) });
    await expectWithinStorageLimits(stub);
  }, 120_000);

  it("a value that shrinks leaves no stale chunks behind", async () => {
    const stub = executionObject(unique("chunks"), "x");
    const keys = await runInDurableObject(stub, (_i, state) => {
      const kv = state.storage.kv;
      putChunked(kv, "value", "abcdefghij", 3);
      const big = [...kv.list({ prefix: "value" })].map(([key]) => key).sort();
      putChunked(kv, "value", "abcd", 3);
      const shrunk = [...kv.list({ prefix: "value" })].map(([key]) => key).sort();
      const read = getChunked(kv, "value");
      putChunked(kv, "value", "ab", 3);
      return { big, shrunk, read, one: [...kv.list({ prefix: "value" })] };
    });
    expect(keys.big).toEqual(["value", "value#1", "value#2", "value#3", "value#n"]);
    expect(keys.shrunk).toEqual(["value", "value#1", "value#n"]);
    expect(keys.read).toBe("abcd");
    expect(keys.one).toEqual([["value", "ab"]]);
  });
});
