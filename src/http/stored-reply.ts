// Replies built only from what an object returned (its outcome and the id of the request that
// first produced it), so an idempotent replay is byte-for-byte the first response.
import type { Context } from "hono";
import { etagOf } from "../core/entity/preconditions";
import type { Reply } from "../core/idempotency";
import type { Failure } from "../core/result";
import type { AppEnv } from "./app-env";
import { fromFailure, problemResponse } from "./problem";

/**
 * A reply whose status and body come from a stored outcome (201, 200, 204 or any problem) cannot
 * be typed per status for the RPC client; the OpenAPI document still describes every case.
 */
export type UntypedResponse = never;

/** The headers a replay adds. */
export const replayHeaders = (reply: Reply<unknown>): Record<string, string> =>
  reply.replayed ? { "Idempotent-Replayed": "true" } : {};

/** Failures become problems (with the current ETag on a 412); `success` shapes the rest. */
export function storedReplyResponse<T>(
  c: Context<AppEnv>,
  reply: Reply<T>,
  success: (value: T, replayHeaders: Record<string, string>) => Response,
): UntypedResponse {
  const { outcome } = reply;
  if (outcome.ok) return success(outcome.value, replayHeaders(reply)) as UntypedResponse;
  return storedProblem(c, { ...reply, outcome });
}

/** A stored failure as its problem document, under the request id that first produced it. */
export function storedProblem(
  c: Context<AppEnv>,
  reply: Reply<unknown> & { outcome: Failure },
): UntypedResponse {
  const { outcome } = reply;
  const etag: Record<string, string> =
    outcome.currentVersion !== undefined ? { ETag: etagOf(outcome.currentVersion) } : {};
  const headers = { ...etag, ...replayHeaders(reply) };
  return problemResponse(c, fromFailure(outcome, headers).init, reply.requestId) as UntypedResponse;
}
