// Replay cases for transactions across entities.
import { unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";

export async function replayTransactions(r: Replay) {
  const [a, b] = [unique("a"), unique("b")];
  await r.send("PUT", `/v1/entities/account/${a}`, 201, { body: { balance: 100 } });
  const transfer = {
    operations: [
      { op: "patch", type: "account", id: a, patch: { balance: 70 }, ifMatch: '"1"' },
      { op: "put", type: "account", id: b, body: { balance: 30 }, ifNoneMatch: "*" },
      { op: "check", type: "account", id: unique("none"), ifNoneMatch: "*" },
    ],
  };
  const key = { "Idempotency-Key": unique("tx") };
  await r.send("POST", "/v1/transactions", 200, { body: transfer, headers: key });
  await r.send("POST", "/v1/transactions", 200, { body: transfer, headers: key });
  await r.send("POST", "/v1/transactions", 422, {
    body: { operations: [{ op: "delete", type: "account", id: b }] },
    headers: key,
  });
  // The same transfer again: its conditions fail now, and the problem names each operation.
  await r.send("POST", "/v1/transactions", 409, { body: transfer });
  await r.send("POST", "/v1/transactions", 400, {
    body: {
      operations: [
        { op: "put", type: "account", id: a, body: {} },
        { op: "delete", type: "account", id: a },
      ],
    },
  });
  await r.send("POST", "/v1/transactions", 400, { body: { operations: [] } });

  const items = [
    { type: "account", id: a },
    { type: "account", id: b },
    { type: "account", id: unique("missing") },
  ];
  await r.send("POST", "/v1/transactions/get", 200, { body: { items } });
  await r.send("POST", "/v1/transactions/get", 400, { body: { items: [{ type: "account" }] } });
}
