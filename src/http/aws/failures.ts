// The one translation from edgestate's failures (the ErrorCode union every object returns) to the
// AWS error a Step Functions client expects for the resource it named. Adding an ErrorCode makes
// this switch fail to compile until the new code has an AWS name.
import type { AwsError } from "../../aws/errors";
import { awsError } from "../../aws/errors";
import { assertNever, type Failure } from "../../core/result";

/** What the call was about: decides the name of a `not_found` and a `conflict`. */
export type Subject =
  | { kind: "machine"; arn: string }
  | { kind: "execution"; arn: string }
  | { kind: "task" }
  | { kind: "other" };

export function awsErrorOf(failure: Failure, subject: Subject): AwsError {
  const { code, detail } = failure;
  switch (code) {
    case "not_found":
      if (subject.kind === "machine")
        return awsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${subject.arn}'`);
      if (subject.kind === "execution")
        return awsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${subject.arn}'`);
      if (subject.kind === "task")
        return awsError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
      return awsError("ValidationException", detail);
    case "conflict":
      if (subject.kind === "execution")
        return awsError("ExecutionAlreadyExists", `Execution Already Exists: '${subject.arn}'`);
      if (subject.kind === "machine")
        return awsError("StateMachineAlreadyExists", `State Machine Already Exists: '${subject.arn}'`);
      return awsError("ConflictException", detail);
    // Transactions are not an AWS action; an entity task can still meet one holding its entity.
    case "transaction_canceled":
    case "transaction_conflict":
    case "unique_violation":
    case "idempotency_mismatch":
      return awsError("ConflictException", detail);
    case "invalid":
    case "payload_too_large":
    case "precondition_failed":
    case "patch_failed":
      return awsError("ValidationException", detail);
    case "unauthorized":
      return awsError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      );
    case "forbidden":
      return awsError("AccessDeniedException", detail);
    case "key_unavailable":
    case "undecryptable":
      return awsError("InternalFailure", detail);
    case "unavailable":
      return awsError("ServiceUnavailable", detail);
    case "rate_limited":
      return awsError("ThrottlingException", "Rate exceeded");
    case "unsupported_media_type":
      return awsError("SerializationException", detail);
    // Watches only (406): the AWS endpoint never answers with it.
    case "not_acceptable":
      return awsError("ValidationException", detail);
    case "method_not_allowed":
      return awsError("UnknownOperationException", detail);
    case "loop_detected":
      return awsError("AccessDeniedException", detail);
    case "internal":
      return awsError("InternalFailure", detail);
    default:
      return assertNever(code, "error code");
  }
}
