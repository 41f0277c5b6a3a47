// How a Task's Resource appears in history (resourceType + resource, as Step Functions splits
// `arn:aws:states:::lambda:invoke` into "lambda" and "invoke"), and whether it waits for a
// callback. The interpreter never decides whether a resource can run: that is the shell's call.

import type { TaskScheduledEventDetails } from "../events.ts";

export const WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";

export const waitsForCallback = (resource: string): boolean => resource.endsWith(WAIT_FOR_TASK_TOKEN);

type Described = Pick<TaskScheduledEventDetails, "resource" | "resourceType" | "region">;

export function describeResource(resource: string): Described {
  // Service integrations: arn:aws:states:::<service>:<action>[.suffix]
  const integration = /^arn:[^:]+:states:::([^:]+):(.+)$/.exec(resource);
  if (integration?.[1] && integration[2]) return { resourceType: integration[1], resource: integration[2] };
  // Plain ARNs (Lambda functions, activities): arn:<partition>:<service>:<region>:<account>:…
  const arn = /^arn:[^:]+:([^:]+):([^:]*):/.exec(resource);
  if (arn?.[1]) return { resourceType: arn[1], resource, ...(arn[2] ? { region: arn[2] } : {}) };
  // edgestate:entity:get, http:invoke and other short forms: <type…>:<action>
  const last = resource.lastIndexOf(":");
  if (last > 0) {
    return {
      resourceType: resource.slice(0, last).replace(/^edgestate:/, ""),
      resource: resource.slice(last + 1),
    };
  }
  return { resourceType: "unknown", resource };
}
