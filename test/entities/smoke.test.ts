import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";

describe("entity smoke", () => {
  it("puts, gets, patches and deletes", async () => {
    const path = `/v1/entities/user/${unique()}`;
    const put = await api("PUT", path, { body: { name: "Ada" } });
    expect(put.status, await put.clone().text()).toBe(201);
    expect(put.headers.get("ETag")).toBe('"1"');
    const get = await api("GET", path);
    expect(await json(get)).toEqual({ name: "Ada" });
    const patch = await api("PATCH", path, {
      body: { age: 36 },
      contentType: "application/merge-patch+json",
    });
    expect(patch.status).toBe(200);
    expect(await json(patch)).toEqual({ name: "Ada", age: 36 });
    expect((await api("DELETE", path)).status).toBe(204);
    expect((await api("GET", path)).status).toBe(404);
  });
});
