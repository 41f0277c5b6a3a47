// The errors of the Step Functions wire API, by AWS's own names, with the HTTP status AWS's JSON
// services answer each with. The SDKs read `__type` (and only then the status), so the name is the
// contract; the status follows what AWS JSON 1.0 services send (their signature and credential
// errors are 400s, as DynamoDB and Step Functions answer them, not the 403s of REST services).
// Our own failures reach this surface through `translate` (src/http/aws/failures.ts), one place.

export const AWS_ERRORS = {
  // Authentication (what the SigV4 verifier says).
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  UnrecognizedClientException: 400,
  AccessDeniedException: 400,
  // The protocol.
  UnknownOperationException: 400,
  SerializationException: 400,
  RequestEntityTooLargeException: 413,
  ValidationException: 400,
  ThrottlingException: 400,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  // Step Functions' own (the SDK exports a class for each).
  ConflictException: 400,
  ExecutionAlreadyExists: 400,
  ExecutionDoesNotExist: 400,
  ExecutionLimitExceeded: 400,
  ExecutionNotRedrivable: 400,
  InvalidArn: 400,
  InvalidDefinition: 400,
  InvalidEncryptionConfiguration: 400,
  InvalidExecutionInput: 400,
  InvalidLoggingConfiguration: 400,
  InvalidName: 400,
  InvalidOutput: 400,
  InvalidToken: 400,
  InvalidTracingConfiguration: 400,
  MissingRequiredParameter: 400,
  StateMachineAlreadyExists: 400,
  StateMachineDoesNotExist: 400,
  StateMachineTypeNotSupported: 400,
  TaskDoesNotExist: 400,
  TaskTimedOut: 400,
  TooManyTags: 400,
} as const;

export type AwsErrorName = keyof typeof AWS_ERRORS;

/** An expected failure of one AWS call: it becomes `{"__type": name, "message": message}`. */
export interface AwsError {
  name: AwsErrorName;
  message: string;
}

export const awsError = (name: AwsErrorName, message: string): AwsError => ({ name, message });

export const statusOfAwsError = (name: AwsErrorName): number => AWS_ERRORS[name];

/** An AWS call's outcome: its output, or one AwsError. */
export type AwsResult<T> = { ok: true; value: T } | { ok: false; error: AwsError };

export const awsOk = <T>(value: T): AwsResult<T> => ({ ok: true, value });
export const awsFail = (name: AwsErrorName, message: string): AwsResult<never> => ({
  ok: false,
  error: awsError(name, message),
});
