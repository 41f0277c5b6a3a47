// Transfers between accounts in transactions (two patches and a ledger put), with transactional
// reads of every account whose balances must always sum to the starting total.
import { each, fail, sleep, until } from "./http.mjs";

export const ACCOUNTS = ["a0", "a1", "a2", "a3"];
const START = 1000;
export const tx = { sent: 0, committed: 0, canceled: 0, reads: 0, retriedAfterLoss: 0, log: [] };

export async function setupAccounts() {
  for (const a of ACCOUNTS) {
    const r = await until("PUT", `/v1/entities/acct/${a}`, { body: { balance: START, tx: null } });
    if (r.status !== 201 && r.status !== 200) throw new Error(`account ${a}: ${r.status} ${r.text}`);
  }
}

async function readAll() {
  const items = ACCOUNTS.map((id) => ({ type: "acct", id }));
  const r = await until("POST", "/v1/transactions/get", { body: { items } });
  if (r.status !== 200) return null;
  tx.reads++;
  const sum = r.json.items.reduce((s, it) => s + it.body.balance, 0);
  if (sum !== START * ACCOUNTS.length) fail(`transactional read sums to ${sum}: ${r.text}`);
  return r.json.items;
}

export function transferer(k, running) {
  return (async () => {
    let n = 0;
    while (running()) {
      const items = await readAll();
      if (!items) continue;
      const [i, j] = pickTwo();
      const a = items[i];
      const b = items[j];
      const amount = 1 + Math.floor(Math.random() * 20);
      const id = `t${k}-${n++}`;
      const body = {
        operations: [
          {
            op: "patch",
            type: "acct",
            id: a.id,
            patch: { balance: a.body.balance - amount, tx: id },
            ifMatch: `"${a.version}"`,
          },
          {
            op: "patch",
            type: "acct",
            id: b.id,
            patch: { balance: b.body.balance + amount, tx: id },
            ifMatch: `"${b.version}"`,
          },
          { op: "put", type: "ledger", id, body: { from: a.id, to: b.id, amount }, ifNoneMatch: "*" },
          // a hold on an entity the single writers are writing: crashes must never leave it held
          ...(Math.random() < 0.5 ? [{ op: "check", type: "doc", id: `d${n % 3}`, ifMatch: "*" }] : []),
        ],
      };
      tx.sent++;
      const opts = { body, headers: { "Idempotency-Key": id } };
      const r = await until("POST", "/v1/transactions", opts);
      if (r.tries > 1) tx.retriedAfterLoss++;
      const entry = { id, a: a.id, b: b.id, amount, opts, reply: r };
      if (r.status === 200) {
        tx.committed++;
        entry.outcome = "committed";
      } else if (r.status === 409 && /transaction-canceled/.test(r.text)) {
        tx.canceled++;
        entry.outcome = "canceled";
      } else {
        fail(`transaction ${id}: ${r.status} after ${r.tries} tries ${r.text?.slice(0, 200)}`);
        entry.outcome = "unknown";
      }
      tx.log.push(entry);
      await sleep(30 + Math.random() * 80);
    }
  })();
}

function pickTwo() {
  const i = Math.floor(Math.random() * ACCOUNTS.length);
  let j = Math.floor(Math.random() * (ACCOUNTS.length - 1));
  if (j >= i) j++;
  return [i, j];
}

async function accountHistory(id) {
  const items = [];
  let cursor = null;
  do {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const r = await until("GET", `/v1/entities/acct/${id}/history?limit=100${q}`);
    if (r.status !== 200) {
      fail(`acct ${id}: history ${r.status}`);
      return items;
    }
    items.push(...r.json.items);
    cursor = r.json.cursor;
  } while (cursor);
  return items.sort((x, y) => x.version - y.version);
}

export async function verifyTransactions() {
  await readAll();
  const applied = new Map(); // tx id → [{account, version}]
  for (const acct of ACCOUNTS) {
    const items = await accountHistory(acct);
    items.forEach((it, i) => {
      if (it.version !== i + 1) fail(`acct ${acct}: version ${it.version} at place ${i + 1}`);
      if (!it.body?.tx) return;
      const list = applied.get(it.body.tx) ?? [];
      list.push({ acct, version: it.version, delta: it.body.balance - items[i - 1].body.balance });
      applied.set(it.body.tx, list);
    });
  }
  let replays = 0;
  await each(tx.log, 4, async (e) => {
    const got = applied.get(e.id) ?? [];
    const ledger = await until("GET", `/v1/entities/ledger/${e.id}`);
    if (e.outcome === "committed") {
      const want = e.reply.json.results;
      for (const [k, acct] of [e.a, e.b].entries()) {
        const g = got.find((x) => x.acct === acct);
        if (!g || g.version !== want[k].version)
          fail(`tx ${e.id} acked ${acct}@${want[k].version}, history has ${JSON.stringify(g)}`);
        else if (g.delta !== (k === 0 ? -e.amount : e.amount)) fail(`tx ${e.id} ${acct} moved ${g.delta}`);
      }
      if (ledger.status !== 200) fail(`tx ${e.id} acked, ledger ${ledger.status}`);
    } else if (e.outcome === "canceled") {
      if (got.length || ledger.status !== 404)
        fail(`tx ${e.id} canceled yet applied: ${JSON.stringify(got)} ledger ${ledger.status}`);
    }
    if (got.length !== 0 && got.length !== 2) fail(`tx ${e.id} applied in part: ${JSON.stringify(got)}`);
    if ((got.length === 2) !== (ledger.status === 200))
      fail(`tx ${e.id}: accounts ${got.length}, ledger ${ledger.status}`);
    if (e.outcome !== "unknown") {
      const r = await until("POST", "/v1/transactions", e.opts);
      replays++;
      if (r.status !== e.reply.status || r.text !== e.reply.text)
        fail(`tx ${e.id} replay ${r.status} ${r.text?.slice(0, 150)} != ${e.reply.text.slice(0, 150)}`);
    }
  });
  await verifyTxIndex();
  for (const acct of ACCOUNTS) {
    const put = await until(
      "PATCH",
      `/v1/entities/acct/${acct}`,
      { body: { touched: true }, headers: { "Content-Type": "application/merge-patch+json" } },
      Date.now() + 10_000,
    );
    if (put.status !== 200) fail(`acct ${acct}: final write ${put.status} ${put.text}`);
  }
  return replays;
}

/** The index on /tx holds each account once, under the transaction that wrote its latest version. */
async function verifyTxIndex() {
  const latest = new Map();
  for (const acct of ACCOUNTS) {
    const g = await until("GET", `/v1/entities/acct/${acct}`);
    latest.set(acct, { tx: g.json.tx, etag: g.etag });
  }
  const ids = tx.log.filter((e) => e.outcome === "committed").map((e) => e.id);
  for (let round = 0; round < 10; round++) {
    const wrong = [];
    await each(ids, 4, async (id) => {
      const q = await until("POST", "/v1/indexes/acct/by-tx/query", { body: { where: { "/tx": id } } });
      const got = JSON.stringify((q.json?.items ?? []).map((i) => [i.id, `"${i.version}"`]).sort());
      const want = JSON.stringify(
        ACCOUNTS.filter((a) => latest.get(a).tx === id)
          .map((a) => [a, latest.get(a).etag])
          .sort(),
      );
      if (got !== want) wrong.push(`${id}: index ${got}, entities ${want}`);
    });
    if (wrong.length === 0) return;
    if (round === 9) fail(`index acct/by-tx disagrees with the accounts: ${wrong.slice(0, 5).join("; ")}`);
    await sleep(1000);
  }
}
