import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { copyKeyOf, newEntity, newType, put } from "../support/entities";

interface Listing {
  items: { id: string; version: number }[];
}

const listed = async (type: string) =>
  (await json<Listing>(await api("GET", `/v1/entities/${type}`))).items.map((i) => i.id);

describe("the list index", () => {
  it("keeps an idle entity listed after its cached copy has expired", async () => {
    const type = newType();
    const ref = newEntity(type);
    expect((await put(ref, { n: 1 })).status).toBe(201);
    await expect.poll(() => listed(type), { timeout: 10_000 }).toEqual([ref.id]);

    // The copy expires after CACHE_TTL_SECONDS; deleting it plays that expiry without waiting.
    await env.CACHE.delete(copyKeyOf(ref));
    expect(await listed(type)).toEqual([ref.id]);
  });

  it("drops an entity once it is deleted", async () => {
    const type = newType();
    const ref = newEntity(type);
    await put(ref, { n: 1 });
    await expect.poll(() => listed(type), { timeout: 10_000 }).toEqual([ref.id]);
    expect((await api("DELETE", ref.path)).status).toBe(204);
    await expect.poll(() => listed(type), { timeout: 10_000 }).toEqual([]);
  });
});
