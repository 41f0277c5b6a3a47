// Sessions: creates under an Idempotency-Key, revocations one by one and "log out everywhere";
// after each restart every revoked session must still be refused and every live one readable.
import { each, fail, sleep, until } from "./http.mjs";

export const sessions = { created: 0, revoked: 0, logoutAll: 0, checks: 0, list: [] };

export function sessionDriver(running) {
  return (async () => {
    let n = 0;
    while (running()) {
      const key = `login-${n}`;
      const subject = `user-${n % 4}`;
      const opts = { body: { subject, data: { n, s: "ü" }, ttl: 3600 }, headers: { "Idempotency-Key": key } };
      const r = await until("POST", "/v1/sessions", opts);
      n++;
      if (r.status !== 201) {
        fail(`session create ${key}: ${r.status} after ${r.tries} tries ${r.text?.slice(0, 200)}`);
        continue;
      }
      const s = {
        id: r.json.id,
        key,
        subject,
        n: n - 1,
        opts,
        reply: r,
        revoked: false,
        log: [[Date.now(), "create", r.tries]],
      };
      sessions.list.push(s);
      sessions.created++;
      const roll = Math.random();
      if (roll < 0.35) {
        const victim = sessions.list[Math.floor(Math.random() * sessions.list.length)];
        if (!victim.revoked) {
          victim.revoking = true;
          const d = await until("DELETE", `/v1/sessions/${victim.id}`, {
            headers: { "Idempotency-Key": `rev-${victim.id}` },
          });
          if (d.status === 204) {
            victim.revoked = true;
            victim.log.push([Date.now(), "revoke", d.tries, d.headers.get("idempotent-replayed")]);
            sessions.revoked++;
          } else if (d.status !== 404) fail(`revoke ${victim.key}: ${d.status} ${d.text}`);
        }
      } else if (roll < 0.42) {
        for (const x of sessions.list) if (x.subject === subject) x.revoking = true;
        const d = await until("DELETE", `/v1/subjects/${subject}/sessions`, {
          headers: { "Idempotency-Key": `all-${n}` },
        });
        if (d.status === 200) {
          for (const x of sessions.list)
            if (x.subject === subject && !x.revoked) {
              x.revoked = true;
              x.log.push([Date.now(), `all-${n}`, d.tries, d.text, d.headers.get("idempotent-replayed")]);
            }
          sessions.logoutAll++;
        } else fail(`logout-all ${subject}: ${d.status} ${d.text}`);
      }
      await sleep(80 + Math.random() * 120);
    }
  })();
}

/** Every session the client knows about, as it must be now; `replay` also resends each create. */
export async function checkSessions(replay) {
  // after a restart: every revoked one and the newest live ones; at the end: all of them
  const all = [...sessions.list];
  const list = replay ? all : [...all.filter((s) => s.revoked), ...all.filter((s) => !s.revoked).slice(-20)];
  await each(list, 4, async (s) => {
    // what the client knew before it asked: a revocation in flight may land either side of the read
    const revoked = s.revoked;
    const g = await until("GET", `/v1/sessions/${s.id}`, {}, Date.now() + 10_000);
    sessions.checks++;
    if (revoked && g.status !== 404)
      fail(`revoked session ${s.key} answers ${g.status} ${g.text} ${JSON.stringify(s.log)}`);
    if (!s.revoking && g.status !== 200) fail(`live session ${s.key} answers ${g.status} ${g.text}`);
    if (g.status === 200 && g.json.data.n !== s.n) fail(`session ${s.key} data ${g.text}`);
    if (replay) {
      const r = await until("POST", "/v1/sessions", s.opts);
      const want = s.revoked ? 404 : 201;
      if (r.status !== want) fail(`replay of ${s.key} (revoked ${s.revoked}): ${r.status} ${r.text}`);
      if (!s.revoked && r.text !== s.reply.text) fail(`replay of ${s.key} differs: ${r.text}`);
    }
  });
}
