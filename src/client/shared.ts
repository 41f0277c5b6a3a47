// Pieces every resource uses: reading a reply's JSON, and paging through a cursor.
import { EdgestateError } from "./errors.ts";
import type { CallOptions, CallRequest, Reply, Transport } from "./transport.ts";

/** One RFC 6902 operation. */
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

/** The reply's JSON; a body that is not JSON is an error the caller can see, not a crash. */
export function parseJson<T>(reply: Reply): T {
  if (reply.text === "") return undefined as T;
  try {
    return JSON.parse(reply.text) as T;
  } catch (e) {
    throw new EdgestateError(
      {
        code: "unexpected-response",
        status: reply.status,
        title: "Unexpected Response",
        detail: `the reply is not JSON: ${reply.text.slice(0, 120)}`,
        requestId: reply.headers.get("Request-Id"),
      },
      { cause: e },
    );
  }
}

/** Pages from a cursor-paged listing until its cursor is null. */
export async function* pages<P extends { cursor: string | null }>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
): AsyncIterableIterator<P> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page;
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}

/** A read's JSON: GET, retried freely. */
export async function readJson<T>(
  t: Transport,
  path: string,
  query: CallRequest["query"],
  options: CallOptions,
): Promise<T> {
  return parseJson<T>(await t.call({ method: "GET", path, query, repeat: "safe", signal: options.signal }));
}
