// The AWS JSON 1.0 request around an action: a POST whose X-Amz-Target names the action and whose
// body is the input object. The body is read under the same bounds as every /v1 body (body/), and
// parsed by core/json, so a duplicate key or a number a double cannot hold is refused here too.
import { type AwsResult, awsFail, awsOk } from "../../aws/errors";
import { isJsonObject, type JsonObject } from "../../core/json/json-value";
import { parseJson } from "../../core/json/parse-json";
import { MAX_PAYLOAD_BYTES } from "../../machine/engine";
import { jsonText } from "../body/json-text";
import { parseMediaType } from "../body/media-type";
import { readBody } from "../body/read-body";
import { ProblemError } from "../problem";

const TARGET_PREFIX = "AWSStepFunctions.";
const JSON_VERSIONS = new Set(["application/x-amz-json-1.0", "application/x-amz-json-1.1"]);

/**
 * Step Functions takes inputs, outputs and definitions of 256 KiB inside the JSON body as strings,
 * where every quote costs a backslash: room for that, whatever MAX_BODY_BYTES says for /v1.
 */
export const awsBodyLimit = (maxBodyBytes: number): number =>
  Math.max(maxBodyBytes, 2 * MAX_PAYLOAD_BYTES + 16_384);

/** The body exactly as sent (the signature covers these bytes), bounded. */
export async function readAwsBody(request: Request, limit: number): Promise<AwsResult<Uint8Array>> {
  const coding = request.headers.get("Content-Encoding");
  if (coding !== null && coding.trim().toLowerCase() !== "identity") {
    return awsFail(
      "SerializationException",
      `Content-Encoding '${coding}' is not supported by this endpoint.`,
    );
  }
  try {
    return awsOk(await readBody(request, limit));
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    return e.init.status === 413
      ? awsFail("RequestEntityTooLargeException", `Request body must be at most ${limit} bytes.`)
      : awsFail("SerializationException", e.init.detail);
  }
}

export function actionOf(target: string | undefined): AwsResult<string> {
  if (target === undefined || !target.startsWith(TARGET_PREFIX) || target.length === TARGET_PREFIX.length) {
    return awsFail("UnknownOperationException", `Unknown operation: '${target ?? ""}'.`);
  }
  return awsOk(target.slice(TARGET_PREFIX.length));
}

/** The input object of the action. */
export function inputOf(contentType: string | undefined, bytes: Uint8Array): AwsResult<JsonObject> {
  const type = contentType === undefined ? null : parseMediaType(contentType);
  if (!type || !JSON_VERSIONS.has(type.essence)) {
    return awsFail("SerializationException", "Content-Type must be application/x-amz-json-1.0.");
  }
  let text: string;
  try {
    text = jsonText(bytes, type);
  } catch (e) {
    if (e instanceof ProblemError) return awsFail("SerializationException", e.init.detail);
    throw e;
  }
  if (text.trim() === "") return awsOk({});
  const parsed = parseJson(text);
  if (!parsed.ok) return awsFail("SerializationException", parsed.message);
  if (!isJsonObject(parsed.value))
    return awsFail("SerializationException", "The request body must be a JSON object.");
  return awsOk(parsed.value);
}
