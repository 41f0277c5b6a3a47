// Money conservation: 32 clients move money between 10 accounts with transactions of two patches
// conditioned on the versions they read, while readers read all accounts transactionally. Every
// successful read, and the end state, sums to the starting total; every committed transfer is
// applied exactly once (the accounts' versions count them).
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { type EntityRef, newEntity, put, read } from "../support/entities";
import { holdOf, type ReadItems, readAll, ref, transact } from "../support/transactions";

const ACCOUNTS = 10;
const CLIENTS = 32;
const READERS = 4;
const START = 1_000;
/** Real time the clients run for: a bound on the load, not a synchronisation. */
const RUN_MS = 6_000;

type Account = { balance: number };

describe("money conservation", () => {
  it("keeps the total through concurrent transfers and transactional reads", {
    timeout: 120_000,
  }, async () => {
    const accounts: EntityRef[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const account = newEntity("account");
      await put(account, { balance: START });
      accounts.push(account);
    }
    const total = ACCOUNTS * START;
    const until = Date.now() + RUN_MS;
    const tally = { committed: 0, canceled: 0, conflicts: 0, reads: 0, readConflicts: 0 };
    const unexpected: string[] = [];

    const client = async () => {
      while (Date.now() < until) {
        const i = Math.floor(Math.random() * ACCOUNTS);
        const j = (i + 1 + Math.floor(Math.random() * (ACCOUNTS - 1))) % ACCOUNTS;
        const seen = await readAll([ref(accounts[i]!), ref(accounts[j]!)]);
        if (seen.status !== 200) {
          await seen.body?.cancel();
          continue;
        }
        const [from, to] = (await json<ReadItems>(seen)).items as { version: number; body: Account }[];
        const amount = 1 + Math.floor(Math.random() * 50);
        const res = await transact([
          {
            op: "patch",
            ...ref(accounts[i]!),
            patch: { balance: from!.body.balance - amount },
            ifMatch: `"${from!.version}"`,
          },
          {
            op: "patch",
            ...ref(accounts[j]!),
            patch: { balance: to!.body.balance + amount },
            ifMatch: `"${to!.version}"`,
          },
        ]);
        const text = await res.text();
        if (res.status === 200) tally.committed++;
        else if (res.status === 409 && text.includes("transaction-canceled")) tally.canceled++;
        else if (res.status === 409 && text.includes("transaction-conflict")) tally.conflicts++;
        else unexpected.push(`${res.status} ${text}`);
      }
    };

    const reader = async () => {
      while (Date.now() < until) {
        const res = await readAll(accounts.map(ref));
        if (res.status === 409) {
          tally.readConflicts++;
          await res.body?.cancel();
          continue;
        }
        if (res.status !== 200) {
          unexpected.push(`read ${res.status} ${await res.text()}`);
          continue;
        }
        const { items } = await json<ReadItems>(res);
        const sum = items.reduce((s, item) => s + (item.body as Account).balance, 0);
        if (sum !== total) unexpected.push(`a read summed to ${sum}`);
        tally.reads++;
      }
    };

    await Promise.all([
      ...Array.from({ length: CLIENTS }, client),
      ...Array.from({ length: READERS }, reader),
    ]);
    console.log(JSON.stringify({ money: tally }));
    expect(unexpected).toEqual([]);
    // Enough happened to mean something, even on a loaded machine.
    expect(tally.committed).toBeGreaterThanOrEqual(5);
    expect(tally.reads).toBeGreaterThanOrEqual(5);

    const end = await Promise.all(accounts.map((a) => read(a)));
    expect(end.reduce((s, r) => s + (r.body as Account).balance, 0)).toBe(total);
    // Each committed transfer wrote one version on each of its two accounts, once.
    expect(end.reduce((s, r) => s + (r.version! - 1), 0)).toBe(2 * tally.committed);
    for (const a of accounts) expect(await holdOf(a)).toBeNull();
    const final = await json<ReadItems>(await readAll(accounts.map(ref)));
    expect(final.items.reduce((s, item) => s + (item.body as Account).balance, 0)).toBe(total);
  });
});
