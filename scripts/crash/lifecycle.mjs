// Deletes and expiries across crashes: one entity created and deleted in turn (versions +1 per
// acknowledged write, deletes included, never restarting), and documents written with a short
// TTL. After the crashes a replay of any of those writes is a 404, never the write applied again.
import { fail, sleep, until } from "./http.mjs";

export const lifecycle = { ops: 0, ttlDocs: 0, replays: 0, acked: [], version: 0, ttl: [] };

export function recreator(running) {
  return (async () => {
    let n = 0;
    let exists = false;
    while (running()) {
      const key = `dz-${n++}`;
      const cond = exists
        ? { "If-Match": `"${lifecycle.version}"` }
        : lifecycle.version
          ? {}
          : { "If-None-Match": "*" };
      const method = exists ? "DELETE" : "PUT";
      const opts = { headers: { "Idempotency-Key": key, ...cond }, ...(exists ? {} : { body: { key } }) };
      const r = await until(method, "/v1/entities/life/dz", opts);
      lifecycle.ops++;
      const v = r.headers?.get("edgestate-version");
      if ((exists && r.status !== 204) || (!exists && r.status !== 201)) {
        fail(`dz ${method} ${key}: ${r.status} after ${r.tries} tries ${r.text?.slice(0, 200)}`);
        break;
      }
      if (v !== null && v !== undefined && Number(v) !== lifecycle.version + 1)
        fail(`dz ${method} ${key} at version ${v}, expected ${lifecycle.version + 1}`);
      lifecycle.version++;
      lifecycle.acked.push({ key, method, opts, status: r.status });
      exists = !exists;
      if (Math.random() < 0.3) {
        const id = `t-${n}`;
        const t = await until("PUT", `/v1/entities/life/${id}?ttl=1`, {
          body: { n },
          headers: { "Idempotency-Key": id },
        });
        // a retry after a crash may come after the second: "applied, and has since expired" (404)
        const late = t.status === 404 && t.tries > 1 && /has since been deleted or has expired/.test(t.text);
        if (t.status === 201 || late) lifecycle.ttl.push({ id, at: Date.now() });
        else fail(`ttl put ${id}: ${t.status} ${t.text?.slice(0, 200)}`);
      }
      await sleep(100 + Math.random() * 150);
    }
  })();
}

export async function verifyLifecycle() {
  const g = await until("GET", "/v1/entities/life/dz");
  const last = lifecycle.acked.at(-1);
  const want = last?.method === "PUT" ? 200 : 404;
  if (last && g.status !== want) fail(`dz: last acked ${last.method}, GET ${g.status}`);
  if (g.status === 200 && Number(g.headers.get("edgestate-version")) !== lifecycle.version)
    fail(`dz at ${g.headers.get("edgestate-version")}, acked ${lifecycle.version}`);
  const h = await until("GET", "/v1/entities/life/dz/history?limit=1");
  const top = h.json?.items?.[0]?.version;
  if (top !== lifecycle.version) fail(`dz history tops at ${top}, acked ${lifecycle.version}`);
  // every PUT but the live one showed data since deleted: its replay is a 404; deletes replay 204
  for (const a of lifecycle.acked) {
    const r = await until(a.method, "/v1/entities/life/dz", a.opts);
    lifecycle.replays++;
    const expect = a.method === "DELETE" ? 204 : a === last ? 201 : 404;
    if (r.status !== expect) fail(`dz replay ${a.method} ${a.key}: ${r.status} ${r.text?.slice(0, 150)}`);
  }
  const after = await until("GET", "/v1/entities/life/dz/history?limit=1");
  if (after.json?.items?.[0]?.version !== lifecycle.version)
    fail(`dz replays moved the version: ${after.text}`);
  for (const t of lifecycle.ttl) {
    const r = await until("GET", `/v1/entities/life/${t.id}`);
    if (r.status !== 404) fail(`expired ${t.id} answers ${r.status}`);
    const again = await until("PUT", `/v1/entities/life/${t.id}?ttl=1`, {
      body: { n: Number(t.id.slice(2)) },
      headers: { "Idempotency-Key": t.id },
    });
    if (again.status !== 404) fail(`replay of expired ${t.id}: ${again.status} ${again.text?.slice(0, 150)}`);
    lifecycle.ttlDocs++;
  }
}
