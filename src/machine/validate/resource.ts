// Task Resource: the spec only says it is a URI. Two extra forms appear in real definitions and
// are accepted with a WARNING so templates still validate: a CloudFormation intrinsic object
// ({"Ref": …}, {"Fn::GetAtt": …}) and a ${name} DefinitionSubstitutions placeholder. Neither can
// run here until it is resolved.

import type { StateCheck } from "./context.ts";
import { at } from "./diagnostics.ts";
import { describe, isObject, quote } from "./json.ts";

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const PLACEHOLDER = /\$\{[^{}]*\}/g;
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/;
// Lambda names and aliases: letters, digits, - and _; the qualifier is $LATEST, a version or an alias.
const LAMBDA_FUNCTION_TAIL = /^[A-Za-z0-9_-]+(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

export function checkResource({ ctx, state, pointer }: StateCheck): void {
  const value = state.Resource;
  const p = at(pointer, "Resource");
  if (value === undefined) return;
  if (isObject(value)) {
    const keys = Object.keys(value);
    const [only] = keys;
    if (keys.length === 1 && only !== undefined && (only === "Ref" || only.startsWith("Fn::"))) {
      ctx.diags.warning(
        "RESOURCE_PLACEHOLDER",
        p,
        `Resource is a CloudFormation ${only}; resolve it to an ARN or URI before deploying here`,
      );
    } else {
      ctx.diags.error("INVALID_TYPE", p, "Resource must be a URI string");
    }
    return;
  }
  if (typeof value !== "string") {
    ctx.diags.error("INVALID_TYPE", p, `Resource must be a URI string, not ${describe(value)}`);
    return;
  }
  if (value.includes("${")) {
    const rest = value.replace(PLACEHOLDER, "");
    if (rest.includes("${") || rest.includes("}")) {
      ctx.diags.error(
        "INVALID_RESOURCE",
        p,
        `Resource ${quote(value)} has an unterminated \${…} placeholder`,
      );
    } else {
      ctx.diags.warning(
        "RESOURCE_PLACEHOLDER",
        p,
        `Resource ${quote(value)} has a \${…} substitution; resolve it before deploying here`,
      );
    }
    return;
  }
  if (!URI.test(value)) {
    ctx.diags.error("INVALID_RESOURCE", p, `Resource ${quote(value)} is not a URI`);
    return;
  }
  const lambda = LAMBDA_FUNCTION_ARN.exec(value);
  if (lambda && !LAMBDA_FUNCTION_TAIL.test(value.slice(lambda[0].length))) {
    ctx.diags.error(
      "INVALID_RESOURCE",
      p,
      `Resource ${quote(value)} is not a valid Lambda function ARN (name[:version or alias])`,
    );
    return;
  }
  const supported = ctx.options.supportedResources;
  if (supported && !supported(value)) {
    ctx.diags.warning(
      "UNSUPPORTED_RESOURCE",
      p,
      `this engine cannot run Resource ${quote(value)}; the state will fail with States.TaskFailed`,
    );
  }
}
