// The API's own types, read from the types generated from /openapi.json (generated/openapi.d.ts,
// rebuilt from the routes' schemas by `npm run build:client`), so the client cannot drift from
// what the Worker validates and sends.
import type { components, paths } from "./generated/openapi.js";

export type Schemas = components["schemas"];

type Operation<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type JsonContent<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** The JSON body of an operation's reply with status S. */
export type ReplyBody<P extends keyof paths, M extends keyof paths[P], S extends number> =
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? JsonContent<R[S]> : never) : never;

/** The JSON body an operation takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: infer B } ? JsonContent<NonNullable<B>> : never;

/** An operation's query parameters. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type { components, paths };
