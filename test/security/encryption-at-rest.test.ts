import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { flipOneByte } from "../support/tamper";
import { dumpEntityStorage, dumpKv, execInEntity, expectProblem } from "./support";

const SEALED = /^es1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

/**
 * The KV copy exists once an eventual read has missed (the object's copy lease) and is written
 * after that (waitUntil in the object): read eventually, then wait until it shows.
 */
async function copyOf(tenant: string, type: string, id: string): Promise<string> {
  await api("GET", `/v1/entities/${type}/${id}?consistency=eventual`, { tenant });
  const key = `e/${tenant}/${type}/${id}`;
  await expect.poll(() => env.CACHE.get(key), { timeout: 5_000, interval: 20 }).not.toBeNull();
  return (await env.CACHE.get(key))!;
}

describe("encryption at rest", () => {
  // Tampering makes 500s on purpose; each logs its cause (asserted below), captured here.
  const errorLog = captureErrorLog();

  it("leaves no trace of a document, its history or an idempotent reply in raw storage or KV", async () => {
    const tenant = unique("enc");
    const id = unique("doc");
    const marker = `MARKER-${crypto.randomUUID()}`;
    const path = `/v1/entities/secret/${id}`;
    const put = await api("PUT", path, {
      tenant,
      body: { note: marker, nested: { list: [marker, 42] } },
      headers: { "Idempotency-Key": `idem-${marker}` },
    });
    expect(put.status).toBe(201);
    const patch = await api("PATCH", `${path}?ttl=3600`, {
      tenant,
      body: { more: `${marker}-2` },
      contentType: "application/merge-patch+json",
      headers: { "Idempotency-Key": "second" },
    });
    expect(patch.status).toBe(200);
    expect((await json<{ more: string }>(patch)).more).toBe(`${marker}-2`);
    await copyOf(tenant, "secret", id);

    const raw = await dumpEntityStorage(`${tenant}/secret/${id}`);
    const kv = await dumpKv(`e/${tenant}/`);
    const everything = JSON.stringify({ raw, kv });
    expect(everything).not.toContain(marker);
    expect(everything).not.toContain("MARKER");

    // Every stored payload is a sealed value naming its key.
    const versions = raw.tables.versions!;
    expect(versions).toHaveLength(2);
    for (const row of versions) expect(row.body).toMatch(SEALED);
    const replies = raw.tables.idempotency!;
    expect(replies).toHaveLength(2);
    for (const row of replies) expect(row.reply).toMatch(SEALED);
    expect(kv).toHaveLength(1);
    expect(kv[0]!.value).toMatch(SEALED);

    // …and yet the API reads it all back.
    expect(await json(await api("GET", path, { tenant }))).toMatchObject({
      note: marker,
      more: `${marker}-2`,
    });
    const history = await json<{ items: { body: unknown }[] }>(
      await api("GET", `${path}/history`, { tenant }),
    );
    expect(JSON.stringify(history)).toContain(marker);
  });

  it("still tells a retry from a different request under the same Idempotency-Key", async () => {
    const tenant = unique("enc");
    const path = `/v1/entities/doc/${unique()}`;
    const headers = { "Idempotency-Key": "same-key" };
    expect((await api("PUT", path, { tenant, body: { n: 1 }, headers })).status).toBe(201);
    const replay = await api("PUT", path, { tenant, body: { n: 1 }, headers });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    await expectProblem(await api("PUT", path, { tenant, body: { n: 2 }, headers }), 422);
  });

  it("seals the same document twice to different ciphertexts (fresh IV per write)", async () => {
    const tenant = unique("enc");
    const [a, b] = [unique("a"), unique("b")];
    await api("PUT", `/v1/entities/doc/${a}`, { tenant, body: { same: true } });
    await api("PUT", `/v1/entities/doc/${b}`, { tenant, body: { same: true } });
    const ra = await execInEntity(`${tenant}/doc/${a}`, "SELECT body FROM versions");
    const rb = await execInEntity(`${tenant}/doc/${b}`, "SELECT body FROM versions");
    const iv = (s: unknown) => String(s).split(".")[2];
    expect(iv(ra[0]!.body)).not.toBe(iv(rb[0]!.body));
  });

  describe("tampering", () => {
    it("a flipped ciphertext byte is a clean 500 problem, never garbage and never a stack", async () => {
      const tenant = unique("enc");
      const id = unique("doc");
      const path = `/v1/entities/doc/${id}`;
      await api("PUT", path, { tenant, body: { value: "original" } });
      const [row] = await execInEntity(`${tenant}/doc/${id}`, "SELECT body FROM versions WHERE version = 1");
      const original = String(row!.body);
      await execInEntity(
        `${tenant}/doc/${id}`,
        "UPDATE versions SET body = ? WHERE version = 1",
        flipOneByte(original),
      );

      for (const res of [
        await api("GET", path, { tenant }),
        await api("GET", `${path}/history`, { tenant }),
      ]) {
        const body = await expectProblem(res, 500);
        expect(body.type).toBe("urn:edgestate:problem:undecryptable");
        expect(body.detail).toContain('key "k1"');
        expect(body.detail).toMatch(/failed authentication/);
        expect(JSON.stringify(body)).not.toMatch(/\bat .*:\d+:\d+|es1\.k1\./);
        // The operator's side: the cause, under the request id the client was given.
        expect(errorLog.serverProblems()).toContainEqual(
          expect.objectContaining({ requestId: body.instance, type: "undecryptable", detail: body.detail }),
        );
      }
      // A patch needs the current document: refused the same way, and nothing is written.
      const patch = await api("PATCH", path, {
        tenant,
        body: { x: 1 },
        contentType: "application/merge-patch+json",
      });
      await expectProblem(patch, 500);
      const versions = await execInEntity(`${tenant}/doc/${id}`, "SELECT version FROM versions");
      expect(versions).toEqual([{ version: 1 }]);
    });

    it("a tampered idempotent reply is a 500 problem on replay, not a forged reply", async () => {
      const tenant = unique("enc");
      const path = `/v1/entities/doc/${unique()}`;
      const call = { tenant, body: { v: 1 }, headers: { "Idempotency-Key": "k-1" } };
      expect((await api("PUT", path, call)).status).toBe(201);
      const name = `${tenant}/doc/${path.split("/").pop()}`;
      const [row] = await execInEntity(name, "SELECT reply FROM idempotency");
      await execInEntity(name, "UPDATE idempotency SET reply = ?", flipOneByte(String(row!.reply)));
      await expectProblem(await api("PUT", path, call), 500);
    });

    it("a tampered KV copy is never served: the eventual read falls back to the object", async () => {
      const tenant = unique("enc");
      const id = unique("doc");
      const path = `/v1/entities/doc/${id}`;
      await api("PUT", path, { tenant, body: { value: "truth" } });
      const copy = await copyOf(tenant, "doc", id);
      const key = `e/${tenant}/doc/${id}`;
      const { metadata } = await env.CACHE.getWithMetadata(key);
      await env.CACHE.put(key, flipOneByte(copy), { metadata });
      const res = await api("GET", `${path}?consistency=eventual`, { tenant });
      expect(res.status).toBe(200);
      expect(res.headers.get("Edgestate-Cache")).toBe("miss");
      expect(await json(res)).toEqual({ value: "truth" });
    });

    it("a plaintext value in storage is refused, not served (no plaintext fallback)", async () => {
      const tenant = unique("enc");
      const id = unique("doc");
      await api("PUT", `/v1/entities/doc/${id}`, { tenant, body: { a: 1 } });
      await execInEntity(`${tenant}/doc/${id}`, "UPDATE versions SET body = ?", '{"a":"forged"}');
      const body = await expectProblem(await api("GET", `/v1/entities/doc/${id}`, { tenant }), 500);
      expect(body.detail).toContain("not a well-formed es1 sealed value");
    });
  });

  describe("ciphertext bound to its place", () => {
    async function moveCiphertext(from: string, to: string, fromVersion = 1, toVersion = 1) {
      const [row] = await execInEntity(from, "SELECT body FROM versions WHERE version = ?", fromVersion);
      await execInEntity(to, "UPDATE versions SET body = ? WHERE version = ?", row!.body, toVersion);
    }

    it("fails when copied to another entity of the same tenant and type", async () => {
      const tenant = unique("enc");
      const [a, b] = [unique("a"), unique("b")];
      await api("PUT", `/v1/entities/doc/${a}`, { tenant, body: { owner: "a" } });
      await api("PUT", `/v1/entities/doc/${b}`, { tenant, body: { owner: "b" } });
      await moveCiphertext(`${tenant}/doc/${a}`, `${tenant}/doc/${b}`);
      const body = await expectProblem(await api("GET", `/v1/entities/doc/${b}`, { tenant }), 500);
      expect(body.type).toBe("urn:edgestate:problem:undecryptable");
    });

    it("fails when copied to the same id under another type", async () => {
      const tenant = unique("enc");
      const id = unique("x");
      await api("PUT", `/v1/entities/one/${id}`, { tenant, body: 1 });
      await api("PUT", `/v1/entities/two/${id}`, { tenant, body: 2 });
      await moveCiphertext(`${tenant}/one/${id}`, `${tenant}/two/${id}`);
      await expectProblem(await api("GET", `/v1/entities/two/${id}`, { tenant }), 500);
    });

    it("fails when copied to the same address in another tenant", async () => {
      const [t1, t2] = [unique("enc"), unique("enc")];
      const id = unique("x");
      await api("PUT", `/v1/entities/doc/${id}`, { tenant: t1, body: "t1" });
      await api("PUT", `/v1/entities/doc/${id}`, { tenant: t2, body: "t2" });
      await moveCiphertext(`${t1}/doc/${id}`, `${t2}/doc/${id}`);
      await expectProblem(await api("GET", `/v1/entities/doc/${id}`, { tenant: t2 }), 500);
    });

    it("fails when an old version's ciphertext is replayed as the newest version", async () => {
      const tenant = unique("enc");
      const id = unique("x");
      const name = `${tenant}/doc/${id}`;
      await api("PUT", `/v1/entities/doc/${id}`, { tenant, body: { balance: 100 } });
      await api("PUT", `/v1/entities/doc/${id}`, { tenant, body: { balance: 0 } });
      await moveCiphertext(name, name, 1, 2);
      await expectProblem(await api("GET", `/v1/entities/doc/${id}`, { tenant }), 500);
      // The untouched version still opens where it belongs.
      expect(await json(await api("GET", `/v1/entities/doc/${id}?version=1`, { tenant }))).toEqual({
        balance: 100,
      });
    });
  });
});
