// What every client test uses: the servers the global setup started, a client for them, names.
import { createClient, type EdgestateClient, EdgestateError, type RetryOptions } from "edgestate/client";
import { inject } from "vitest";

export const baseUrl = () => inject("baseUrl");
export const adminKey = () => inject("adminKey");

/** A client of the test server with the admin key (tenant "default" unless `tenant`). */
export function client(
  options: { url?: string; tenant?: string; retry?: RetryOptions | false } = {},
): EdgestateClient {
  return createClient({
    url: options.url ?? baseUrl(),
    key: adminKey(),
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
  });
}

let n = 0;
/** A name no other test uses (storage is shared by the whole suite). */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}`;

/** The EdgestateError a call fails with (and a test failure if it succeeds or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<EdgestateError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EdgestateError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}
