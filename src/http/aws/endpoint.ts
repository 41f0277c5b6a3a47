// /aws/states (the SDKs post to /aws/states/, the CLI to whatever --endpoint-url says): the Step
// Functions API in AWS's JSON 1.0 protocol. The order is AWS's: the body is read under the usual
// bounds, the signature checked (nothing is parsed for an unauthenticated caller), the key's rate
// limit spent, then the action named by X-Amz-Target runs with the scope its REST twin needs.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { hasScope } from "../../auth/principal";
import { verifySigV4 } from "../../auth/verify-sigv4";
import { type AwsError, awsError } from "../../aws/errors";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";
import { replyHeaders } from "../contract/headers";
import { rateLimitKey } from "../middleware/rate-limit";
import { PER_ACTION, SCOPE_EXTENSION } from "../schemas/common";
import { ACTIONS } from "./actions";
import { actionOf, awsBodyLimit, inputOf, readAwsBody } from "./envelope";
import { AWS_JSON, awsErrorReply, awsOutput } from "./reply";

export const AWS_PATH = "/aws/states";

const AwsErrorBody = z
  .object({ __type: z.string(), message: z.string() })
  .openapi("AwsError", { description: "An AWS error: __type is its name (ExecutionDoesNotExist, …)" });
/** The headers the SDKs read on every reply (reply.ts), and on an error its name. */
const AWS_HEADERS = replyHeaders("x-amzn-RequestId", "Date");
const errorContent = (description: string) => ({
  description,
  headers: replyHeaders("x-amzn-RequestId", "Date", "x-amzn-ErrorType"),
  content: { [AWS_JSON]: { schema: AwsErrorBody } },
});

const route = (path: string) =>
  createRoute({
    method: "post",
    path,
    operationId: "stepFunctionsAction",
    tags: ["AWS Step Functions API"],
    summary:
      "The Step Functions API in AWS's JSON 1.0 protocol, for the AWS SDKs and CLI (Signature Version 4)",
    description:
      "The action is X-Amz-Target: AWSStepFunctions.<Action>; the body is its input. Signed with an API key's awsAccessKeyId and awsSecretAccessKey. Read actions need the read scope, the others write.",
    security: [{ sigv4: [] }],
    [SCOPE_EXTENSION]: PER_ACTION,
    request: {
      headers: z.object({
        "x-amz-target": z.string().openapi({ example: "AWSStepFunctions.DescribeExecution" }),
      }),
      body: { required: true, content: { [AWS_JSON]: { schema: z.record(z.string(), z.unknown()) } } },
    },
    responses: {
      200: {
        description: "The action's output",
        headers: AWS_HEADERS,
        content: { [AWS_JSON]: { schema: z.record(z.string(), z.unknown()) } },
      },
      400: errorContent("A Step Functions error, a refused signature or credential, or a malformed request"),
      403: errorContent("MissingAuthenticationTokenException: no Authorization header"),
      413: errorContent("RequestEntityTooLargeException"),
      500: errorContent("InternalFailure"),
      503: errorContent("ServiceUnavailable: the deployment is misconfigured"),
    },
  });

export function awsRoutes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "sigv4", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description:
      "AWS Signature Version 4 (service 'states'), with the key's awsAccessKeyId and awsSecretAccessKey",
  });
  // The SDKs sign and send /aws/states/; both spellings are the same endpoint.
  // Documented in /openapi.json, but routed plainly: its header and body checks are its own, in
  // AWS's words, not the OpenAPI validators' problem documents.
  app.openAPIRegistry.registerPath(route(AWS_PATH));
  for (const path of [AWS_PATH, `${AWS_PATH}/`]) app.post(path, (c) => handle(c));
}

async function handle(c: Context<AppEnv>) {
  try {
    return await answer(c);
  } catch (e) {
    console.error(
      JSON.stringify({ requestId: c.get("requestId"), event: "unhandled_error", error: String(e) }),
    );
    return awsErrorReply(
      c,
      awsError("InternalFailure", "An internal error occurred; quote the request id when reporting it."),
    );
  }
}

async function answer(c: Context<AppEnv>) {
  const config = getConfig(c.env);
  const refuse = (error: AwsError) => awsErrorReply(c, error);
  if (config.problems.length) {
    console.error(
      JSON.stringify({ requestId: c.get("requestId"), event: "misconfigured", problems: config.problems }),
    );
    return refuse(
      awsError("ServiceUnavailable", `edgestate is misconfigured: ${config.problems.join("; ")}`),
    );
  }
  const raw = c.req.raw;
  const body = await readAwsBody(raw, awsBodyLimit(config.maxBodyBytes));
  if (!body.ok) return refuse(body.error);
  const now = Date.now();
  const caller = await verifySigV4(c.env, config, raw, body.value, now);
  if (!caller.ok) return refuse(caller.error);
  const { principal, region } = caller.value;
  c.set("principal", principal);
  c.set("tenant", principal.tenant);
  if (!(await withinRateLimit(c, rateLimitKey(principal)))) {
    return refuse(awsError("ThrottlingException", "Rate exceeded"));
  }
  const name = actionOf(raw.headers.get("X-Amz-Target") ?? undefined);
  if (!name.ok) return refuse(name.error);
  const action = ACTIONS[name.value];
  if (!action || !Object.hasOwn(ACTIONS, name.value)) {
    return refuse(awsError("UnknownOperationException", `Unknown operation: '${name.value}'.`));
  }
  if (!hasScope(principal, action.scope)) {
    return refuse(
      awsError(
        "AccessDeniedException",
        `User: ${principal.id} is not authorized to perform: states:${name.value} because this key lacks the '${action.scope}' scope`,
      ),
    );
  }
  const input = inputOf(raw.headers.get("Content-Type") ?? undefined, body.value);
  if (!input.ok) return refuse(input.error);
  const result = await action.run(
    { env: c.env, tenant: principal.tenant, region, principal, requestId: c.get("requestId"), now },
    input.value,
  );
  return result.ok ? awsOutput(c, result.value) : refuse(result.error);
}

/** The same per-key limiter as /v1 (middleware/rate-limit.ts), failing open the same way. */
async function withinRateLimit(c: Context<AppEnv>, key: string): Promise<boolean> {
  try {
    return (await c.env.RATE_LIMITER.limit({ key })).success;
  } catch (e) {
    console.error(
      JSON.stringify({ requestId: c.get("requestId"), event: "rate_limiter_failed", cause: String(e) }),
    );
    return true;
  }
}
