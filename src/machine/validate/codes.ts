// Diagnostic codes are part of the public API (clients match on them), so they are stable
// SCREAMING_SNAKE identifiers. Where Step Functions' ValidateStateMachineDefinition has a code
// for the same problem (MISSING_END_STATE, DUPLICATE_STATE_NAME, INVALID_RESOURCE, …) we reuse
// its name, so a user moving between the two recognises them.

export const DIAGNOSTIC_CODES = {
  INVALID_JSON_DESCRIPTION: "The text is not valid JSON.",
  DUPLICATE_KEY: "An object has the same key twice (JSON.parse would silently keep the last).",
  INEXACT_NUMBER:
    "A number a 64-bit float cannot hold as written (past ±1.8e308, rounding to 0, -0, or changed past 2^53).",
  INVALID_JSONATA: "A JSONata expression is malformed (not `{% <expression> %}`) or does not parse.",
  UNASSIGNED_VARIABLE: "WARNING: a variable is read ($name) but no Assign in the state machine sets it.",
  QUERY_LANGUAGE_CONFLICT:
    "A JSONPath state inside a state machine whose top-level QueryLanguage is JSONata.",
  MISSING_FIELD: "A required field is absent.",
  UNKNOWN_FIELD: "A field that this object does not allow (a typo, or a field of another state type).",
  INVALID_TYPE: "A field has the wrong JSON type.",
  INVALID_VALUE: "A field has the right type but a value out of range or not in its enumeration.",
  EXCLUSIVE_FIELDS: "Two fields that may not appear together (for example Seconds and SecondsPath).",
  NEXT_OR_END_REQUIRED: "A state that transitions needs exactly one of Next or End: true; it has neither.",
  NEXT_AND_END: "A state has both Next and End.",
  MISSING_TRANSITION_TARGET: "StartAt, Next or Default names a state that does not exist.",
  TRANSITION_CROSSES_SCOPE: "A transition targets a state outside its own branch or item processor.",
  UNREACHABLE_STATE: "A state cannot be reached from StartAt (Step Functions refuses these).",
  MISSING_END_STATE: "A state machine, branch or item processor has no reachable terminal state.",
  DUPLICATE_STATE_NAME: "Two states share a name; names are unique across the whole machine.",
  INVALID_STATE_NAME: "A state name is empty or longer than 80 characters.",
  INVALID_JSONPATH: "A Path field is not a valid JSONPath.",
  INVALID_REFERENCE_PATH:
    "A field needing a Reference Path (a single node, no operators) has something else.",
  INVALID_INTRINSIC: "An intrinsic function call is malformed, unknown, or has wrong arguments.",
  INVALID_PAYLOAD_TEMPLATE: "A `.$` key in a payload template does not hold a path or an intrinsic call.",
  PAYLOAD_TEMPLATE_CONFLICT: "A payload template has both `x` and `x.$`, which evaluate to the same key.",
  INVALID_CHOICE_RULE: "A Choice rule is malformed (operators, Variable, Next, And/Or/Not).",
  INVALID_TIMESTAMP: "A timestamp is not RFC 3339 (uppercase T and Z, valid date and time).",
  INVALID_STRING_MATCHES: "A StringMatches pattern uses a backslash other than \\* or \\\\.",
  INVALID_ERROR_EQUALS: "ErrorEquals is empty, or States.ALL is not alone and in the last retrier/catcher.",
  HEARTBEAT_NOT_LESS_THAN_TIMEOUT: "HeartbeatSeconds must be smaller than TimeoutSeconds.",
  INVALID_RESOURCE:
    "A Task Resource is not a URI (or a malformed Lambda ARN or unterminated DefinitionSubstitutions placeholder).",
  UNSUPPORTED_RESOURCE: "WARNING: this engine cannot run the Task Resource; the state will fail at run time.",
  RESOURCE_PLACEHOLDER:
    "WARNING: Resource is an unresolved CloudFormation reference or DefinitionSubstitutions placeholder.",
  ENGINE_UNSUPPORTED_EXPRESSION:
    "WARNING: a valid path or intrinsic call that this engine cannot evaluate yet.",
  DISTRIBUTED_MAP_UNSUPPORTED: "WARNING: a distributed-Map feature this engine does not run (ItemReader, …).",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
