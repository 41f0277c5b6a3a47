// Transactions: up to 100 operations on distinct entities, all or nothing; and reads of up to
// 100 entities as of one point in time.
import { parseJson } from "./shared.ts";
import type { CallOptions, Transport, WriteOptions } from "./transport.ts";
import type { ReplyBody, RequestBody } from "./wire.ts";

export type TransactionOperation = RequestBody<"/v1/transactions", "post">["operations"][number];
export type TransactionResults = ReplyBody<"/v1/transactions", "post", 200>;
export type TransactionalRead = ReplyBody<"/v1/transactions/get", "post", 200>;

export class Transactions {
  constructor(private readonly t: Transport) {}

  /**
   * Applies every operation or none. Retried under one Idempotency-Key, also after
   * transaction-conflict (another transaction held an entity: it waits Retry-After); a
   * transaction-canceled (a condition failed) is thrown with `problem.failures` naming each.
   */
  async write(operations: TransactionOperation[], options: WriteOptions = {}): Promise<TransactionResults> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/transactions",
      body: { operations },
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<TransactionResults>(reply);
  }

  /** Reads the entities as of one point in time: never part of a transaction. */
  async get(items: { type: string; id: string }[], options: CallOptions = {}): Promise<TransactionalRead> {
    const reply = await this.t.call({
      method: "POST",
      path: "/v1/transactions/get",
      body: { items },
      repeat: "safe",
      signal: options.signal,
    });
    return parseJson<TransactionalRead>(reply);
  }
}
