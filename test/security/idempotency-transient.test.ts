// A write refused for a transient, server-side reason (the stored document cannot be opened: its
// key was dropped from ENCRYPTION_KEYS too early) is not kept under its Idempotency-Key: once the
// ring is mended, the client's retry, the very thing the key is for, applies the write.
import { afterAll, describe, expect, it } from "vitest";
import { json, unique } from "../support/api";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { fetchWith, ringSecret, setObjectSecret } from "./support";

const ORIGINAL = JSON.stringify(TEST_ENCRYPTION_KEYS);
const tenant = unique("idt");

describe("a transient failure does not spend an Idempotency-Key", () => {
  afterAll(() => setObjectSecret("ENCRYPTION_KEYS", ORIGINAL));

  it("PATCH fails while the key that sealed the document is missing, then applies once it is back", async () => {
    const path = `/v1/entities/doc/${unique("e")}`;
    const put = await fetchWith({}, "PUT", path, { tenant, body: '{"n":1}' });
    expect(put.status).toBe(201);
    const primary = TEST_ENCRYPTION_KEYS.primary as "k1" | "k2";
    const other = primary === "k1" ? "k2" : "k1";
    const broken = ringSecret(other, [other]); // the operator dropped the old key too early
    await setObjectSecret("ENCRYPTION_KEYS", broken);
    const patch = (secret: string) =>
      fetchWith({ ENCRYPTION_KEYS: secret }, "PATCH", path, {
        tenant,
        body: '{"n":2}',
        contentType: "application/merge-patch+json",
        headers: { "Idempotency-Key": "patch-n-2" },
      });
    const failed = await patch(broken);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    await setObjectSecret("ENCRYPTION_KEYS", ORIGINAL);
    const retried = await patch(ORIGINAL);
    const text = await retried.text();
    expect(retried.status, text).toBe(200);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    const read = await fetchWith({}, "GET", path, { tenant });
    expect(await json(read)).toEqual({ n: 2 });
  });
});
