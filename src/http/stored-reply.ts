// Replies built only from what an object returned (its outcome and the id of the request that
// first produced it), so an idempotent replay is byte-for-byte the first response.
import type { Context } from "hono";
import { etagOf } from "../core/entity/preconditions";
import type { Result } from "../core/result";
import type { AppEnv } from "./app-env";
import { fromFailure, problemResponse } from "./problem";

export interface StoredReply<T> {
  outcome: Result<T>;
  requestId: string;
  replayed: boolean;
}

/**
 * A reply whose status and body come from a stored outcome (201, 200, 204 or any problem) cannot
 * be typed per status for the RPC client; the OpenAPI document still describes every case.
 */
export type UntypedResponse = never;

/** Failures become problems (with the current ETag on a 412); `success` shapes the rest. */
export function storedReplyResponse<T>(
  c: Context<AppEnv>,
  reply: StoredReply<T>,
  success: (value: T, replayHeaders: Record<string, string>) => Response,
): UntypedResponse {
  const replay: Record<string, string> = reply.replayed ? { "Idempotent-Replayed": "true" } : {};
  const { outcome } = reply;
  if (outcome.ok) return success(outcome.value, replay) as UntypedResponse;
  const etag: Record<string, string> =
    outcome.currentVersion !== undefined ? { ETag: etagOf(outcome.currentVersion) } : {};
  return problemResponse(
    c,
    fromFailure(outcome, { ...etag, ...replay }).init,
    reply.requestId,
  ) as UntypedResponse;
}
