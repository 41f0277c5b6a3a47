// A new entity whose registration fails (its registry shard unreachable for a moment) cannot know
// its type's unique indexes, and no build would visit it: it stores no document (503 with
// Retry-After, nothing changed) until a retry registers it, and then the index holds.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { shardOf } from "../../src/core/registry";
import { newEntity, newType, put, read } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { buildToEnd, defineIndex } from "../support/indexes";
import { expectProblem } from "../support/problem";

captureErrorLog();

/** The registry shard's own `register`, shadowed on the instance to make it fail. */
type Breakable = { register?: () => never };

describe("a unique index while the registry is unreachable", () => {
  it("refuses a new entity's write until it is registered, then refuses the held value", async () => {
    const type = newType("ur");
    expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
    await buildToEnd(type, "by-email");
    const a = newEntity(type);
    expect((await put(a, { email: "x@example.com" })).status).toBe(201);

    const b = newEntity(type);
    const shard = shardOf({ kind: "entity", name: `${type}/${b.id}` });
    const registry = env.REGISTRY.getByName(`default/${shard}`);
    await runInDurableObject(registry, (instance) => {
      (instance as unknown as Breakable).register = () => {
        throw new Error("registry unreachable (injected)");
      };
    });
    const refused = await put(b, { email: "x@example.com" });
    expect(refused.headers.get("Retry-After")).toBe("1");
    await expectProblem(refused, 503);
    expect((await read(b)).status).toBe(404);
    const other = await put(b, { email: "free@example.com" });
    await expectProblem(other, 503);

    await runInDurableObject(registry, (instance) => {
      delete (instance as unknown as Breakable).register;
    });
    expect((await put(b, { email: "x@example.com" })).status).toBe(409);
    expect((await put(b, { email: "free@example.com" })).status).toBe(201);
    expect((await read(a)).body).toEqual({ email: "x@example.com" });
  });
});
