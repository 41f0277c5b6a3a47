// Single-writer entities: each writer knows its entity's version, writes with If-Match and an
// Idempotency-Key, and after a lost reply retries the same request until it gets an answer.
import { each, fail, req, sleep, until } from "./http.mjs";

export const entities = { writes: 0, acked: 0, retriedAfterLoss: 0, docs: [] };

export function entityWriter(id, running) {
  const doc = { id, version: 0, acked: [], sent: new Set() };
  entities.docs.push(doc);
  return (async () => {
    let n = 0;
    while (running()) {
      const w = `${id}-w${n++}`;
      const patch = Math.random() < 0.5 && doc.version > 0;
      const headers = {
        "Idempotency-Key": w,
        ...(doc.version > 0 ? { "If-Match": `"${doc.version}"` } : { "If-None-Match": "*" }),
        ...(patch ? { "Content-Type": "application/merge-patch+json" } : {}),
      };
      const g = `g${n % 3}`;
      const body = patch ? { w, g, [`p${n % 5}`]: n } : { w, g, n, s: "é😀\u2028", big: 2 ** 53 - 1 };
      const opts = { headers, body };
      doc.sent.add(w);
      entities.writes++;
      const r = await until(patch ? "PATCH" : "PUT", `/v1/entities/doc/${id}`, opts);
      if (r.tries > 1) entities.retriedAfterLoss++;
      if (r.status === 200 || r.status === 201) {
        const v = Number(JSON.parse(r.etag));
        if (v !== doc.version + 1)
          fail(`${id}: write ${w} acked at ${v}, expected ${doc.version + 1} (tries ${r.tries})`);
        doc.version = v;
        doc.acked.push({ w, v, method: patch ? "PATCH" : "PUT", opts, reply: r });
        entities.acked++;
      } else {
        fail(`${id}: write ${w} got ${r.status} after ${r.tries} tries: ${r.text?.slice(0, 200)}`);
        const g = await until("GET", `/v1/entities/doc/${id}`);
        if (g.etag) doc.version = Number(JSON.parse(g.etag));
      }
      // an eventual read now and then keeps a KV copy lease open, so commits refresh the copy
      if (Math.random() < 0.1) await req("GET", `/v1/entities/doc/${id}?consistency=eventual`);
      await sleep(50 + Math.random() * 100);
    }
  })();
}

async function history(id) {
  const items = [];
  let cursor = null;
  do {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const r = await until("GET", `/v1/entities/doc/${id}/history?limit=100${q}`);
    if (r.status !== 200) {
      fail(`${id}: history ${r.status} ${r.text}`);
      return items;
    }
    items.push(...r.json.items);
    cursor = r.json.cursor;
  } while (cursor);
  return items;
}

export async function verifyEntities() {
  let replays = 0;
  for (const doc of entities.docs) {
    const items = (await history(doc.id)).sort((a, b) => a.version - b.version);
    const seen = new Set();
    items.forEach((it, i) => {
      if (it.version !== i + 1) fail(`${doc.id}: history has version ${it.version} at place ${i + 1}`);
      const w = it.body?.w;
      if (!doc.sent.has(w)) fail(`${doc.id}: version ${it.version} holds unknown write ${w}`);
      if (seen.has(w)) fail(`${doc.id}: write ${w} applied twice (again at ${it.version})`);
      seen.add(w);
    });
    if (items.length !== doc.version)
      fail(`${doc.id}: history ends at ${items.length}, last acknowledged ${doc.version}`);
    await each(doc.acked, 4, async (a) => {
      const it = items[a.v - 1];
      if (it?.body?.w !== a.w) fail(`${doc.id}: acked ${a.w}@${a.v} but history has ${it?.body?.w}`);
      else if (JSON.stringify(it.body) !== a.reply.text)
        fail(`${doc.id}@${a.v}: stored ${JSON.stringify(it.body)} != acked ${a.reply.text}`);
      // the acknowledged reply replays byte for byte after every crash
      const r = await until(a.method, `/v1/entities/doc/${doc.id}`, a.opts);
      replays++;
      if (r.status !== a.reply.status || r.etag !== a.reply.etag || r.text !== a.reply.text)
        fail(`${doc.id}: replay of ${a.w} gave ${r.status} ${r.etag} ${r.text?.slice(0, 120)}`);
      else if (r.headers.get("idempotent-replayed") !== "true")
        fail(`${doc.id}: replay of ${a.w} not marked Idempotent-Replayed`);
    });
    // nothing is left held: an unconditional write goes through
    const put = await until(
      "PUT",
      `/v1/entities/doc/${doc.id}`,
      { body: { w: "final", g: "gf" } },
      Date.now() + 10_000,
    );
    if (put.status !== 200) fail(`${doc.id}: final write ${put.status} ${put.text}`);
    doc.final = put.etag;
  }
  return replays;
}

/** Every commit reaches the index and the KV copy, whatever crashed when: both converge on the last. */
export async function verifyCopies(deadline) {
  const ids = entities.docs.map((d) => d.id).sort();
  const want = JSON.stringify(entities.docs.map((d) => [d.id, d.final]).sort());
  let last = "";
  while (Date.now() < deadline) {
    const parts = [];
    for (const g of ["g0", "g1", "g2", "gf"]) {
      const q = await req("POST", "/v1/indexes/doc/by-g/query", { body: { where: { "/g": g }, limit: 100 } });
      parts.push([g, q.status === 200 ? q.json.items.map((i) => [i.id, `"${i.version}"`]).sort() : q.status]);
    }
    const copies = [];
    for (const id of ids) {
      const r = await req("GET", `/v1/entities/doc/${id}?consistency=eventual`);
      copies.push([id, r.etag, r.headers?.get("edgestate-cache")]);
    }
    last = JSON.stringify({ parts, copies });
    const indexOk = parts.every(([g, items]) => JSON.stringify(items) === (g === "gf" ? want : "[]"));
    const kvOk = copies.every(
      ([id, etag, cache]) => cache === "hit" && etag === entities.docs.find((d) => d.id === id).final,
    );
    if (indexOk && kvOk) return last;
    await sleep(1000);
  }
  fail(`index or KV copies did not converge on the last writes: ${last} (want ${want})`);
  return last;
}
