// Replies of the AWS JSON 1.0 protocol: the output object, or `{"__type", "message"}` with the
// status AWS uses, each with the headers the SDKs read (x-amzn-RequestId for $metadata, Date for
// their clock-skew correction, x-amzn-ErrorType beside __type).
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type AwsError, statusOfAwsError } from "../../aws/errors";
import type { AppEnv } from "../app-env";

export const AWS_JSON = "application/x-amz-json-1.0";

const headers = (c: Context<AppEnv>, extra: Record<string, string> = {}) => ({
  "Content-Type": AWS_JSON,
  "x-amzn-RequestId": c.get("requestId"),
  Date: new Date().toUTCString(),
  ...extra,
});

export const awsOutput = (c: Context<AppEnv>, output: object) =>
  c.body(JSON.stringify(output), 200, headers(c));

export function awsErrorReply(c: Context<AppEnv>, error: AwsError) {
  const body = JSON.stringify({ __type: error.name, message: error.message });
  const status = statusOfAwsError(error.name) as ContentfulStatusCode;
  return c.body(body, status, headers(c, { "x-amzn-ErrorType": error.name }));
}
