// An action's input members, checked as Step Functions checks them: every member it does not know
// is refused (a member edgestate would ignore is a change the client asked for and did not get),
// and each constraint broken is named the way AWS names it.
import { z } from "@hono/zod-openapi";
import { type AwsResult, awsFail, awsOk } from "../../aws/errors";
import type { JsonObject } from "../../core/json/json-value";

export function decode<T>(schema: z.ZodType<T>, input: JsonObject): AwsResult<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return awsOk(parsed.data);
  const messages = parsed.error.issues.slice(0, 5).map((issue) => {
    const at = issue.path.join(".");
    if (issue.code === "unrecognized_keys")
      return `Unknown member(s) ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return `Value null at '${at}' failed to satisfy constraint: Member must not be null`;
    }
    return `Value at '${at}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = parsed.error.issues.length;
  return awsFail(
    "ValidationException",
    `${count} validation error${count > 1 ? "s" : ""} detected: ${messages.join("; ")}`,
  );
}

export const arn = z.string().min(1, "Member must have length greater than or equal to 1").max(2048);
export const maxResults = z.number().int("Member must be an integer").min(0).max(1000).optional();
export const nextToken = z.string().min(1).max(1024).optional();
export const includedData = z.enum(["ALL_DATA", "METADATA_ONLY"]).optional();
/** JSON carried as a string (input, output, definition): its own rules are checked where it is read. */
export const jsonString = (max: number) =>
  z.string().max(max, `Member must have length less than or equal to ${max}`);

/** 0 or absent means the default, as in Step Functions (which treats 0 as 100). */
export const pageSize = (value: number | undefined): number =>
  value === undefined || value === 0 ? 100 : value;
