// edgestate/client: a typed client for edgestate's API, over HTTPS or a service binding. Only
// `fetch` at run time, so it works in Node ≥ 20, browsers, Workers, Deno and Bun.
import { Entities } from "./entities.ts";
import { Callbacks, Executions } from "./executions.ts";
import { Indexes } from "./indexes.ts";
import { Keys } from "./keys.ts";
import { Machines } from "./machines.ts";
import { Sessions, Subjects } from "./sessions.ts";
import { Tickets } from "./tickets.ts";
import { Transactions } from "./transactions.ts";
import { type ClientOptions, Transport } from "./transport.ts";

export interface EdgestateClient {
  entities: Entities;
  sessions: Sessions;
  subjects: Subjects;
  machines: Machines;
  executions: Executions;
  callbacks: Callbacks;
  keys: Keys;
  tickets: Tickets;
  indexes: Indexes;
  transactions: Transactions;
}

/**
 * `createClient({ url, key })` over HTTPS, or `createClient({ fetcher: env.EDGESTATE, key })`
 * through a service binding to EdgestateService.
 */
export function createClient(options: ClientOptions): EdgestateClient {
  const transport = new Transport(options);
  const indexes = new Indexes(transport);
  return {
    entities: new Entities(transport, indexes),
    sessions: new Sessions(transport),
    subjects: new Subjects(transport),
    machines: new Machines(transport),
    executions: new Executions(transport),
    callbacks: new Callbacks(transport),
    keys: new Keys(transport),
    tickets: new Tickets(transport),
    indexes,
    transactions: new Transactions(transport),
  };
}

export type * from "./entities.ts";
export { Entities, etagOf } from "./entities.ts";
export {
  type ClientCode,
  EdgestateError,
  type ErrorCode,
  isEdgestateError,
  type ProblemCode,
} from "./errors.ts";
export type * from "./executions.ts";
export { Callbacks, Executions } from "./executions.ts";
export type * from "./indexes.ts";
export { Indexes } from "./indexes.ts";
export type * from "./keys.ts";
export { Keys } from "./keys.ts";
export type * from "./machines.ts";
export { Machines } from "./machines.ts";
export type { RetryOptions } from "./retry.ts";
export type * from "./sessions.ts";
export { Sessions, Subjects } from "./sessions.ts";
export type { JsonPatchOperation } from "./shared.ts";
export { Tickets } from "./tickets.ts";
export type * from "./transactions.ts";
export { Transactions } from "./transactions.ts";
export type { CallOptions, ClientOptions, Fetcher, RetryInfo, WriteOptions } from "./transport.ts";
export type { WatchOptions } from "./watch.ts";
export type * from "./watch-messages.ts";
export type { components, paths, Schemas } from "./wire.ts";
