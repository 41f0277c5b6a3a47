// ValidateStateMachineDefinition: the same validator as POST /v1/definitions/validate, its
// diagnostics in Step Functions' shape (location is the JSON Pointer into the definition).
import { z } from "@hono/zod-openapi";
import { awsOk } from "../../../aws/errors";
import { supportedResource } from "../../../executions/resources";
import { validateDefinitionText } from "../../../machine/validate/index.ts";
import type { Action } from "../action";
import { decode, jsonString } from "../members";

const Input = z
  .object({
    definition: jsonString(1_048_576),
    type: z.enum(["STANDARD", "EXPRESS"]).optional(),
    severity: z.enum(["ERROR", "WARNING"]).optional(),
    maxResults: z.number().int().min(0).max(100).optional(),
  })
  .strict();

export const validateDefinition: Action = {
  scope: "read",
  async run(_call, raw) {
    const decoded = decode(Input, raw);
    if (!decoded.ok) return decoded;
    const { definition, severity = "ERROR", maxResults } = decoded.value;
    const verdict = validateDefinitionText(definition, { supportedResources: supportedResource });
    const shown = verdict.diagnostics.filter((d) => severity === "WARNING" || d.severity === "ERROR");
    const limit = maxResults === undefined || maxResults === 0 ? 100 : maxResults;
    return awsOk({
      result: verdict.valid ? "OK" : "FAIL",
      diagnostics: shown.slice(0, limit).map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        location: d.pointer,
      })),
      truncated: shown.length > limit,
    });
  },
};
