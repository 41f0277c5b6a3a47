// One AWS action: the scope it needs (as the REST route that does the same thing needs it) and
// what it does with its input. Every action takes the decoded input object and answers an
// AwsResult, so the endpoint writes every reply and every error in one place.

import type { AwsResult } from "../../aws/errors";
import type { JsonObject } from "../../core/json/json-value";
import type { Scope } from "../../core/keys/contract";
import type { AwsCall } from "./call";

export interface Action {
  scope: Scope;
  run(call: AwsCall, input: JsonObject): Promise<AwsResult<object>>;
}
