// Schemas shared by the state machine routes.
import { z } from "@hono/zod-openapi";
import { EXECUTION_NAME, MACHINE_NAME } from "../../../core/names";
import { JsonDocument } from "../../schemas/common";

export const machineName = z
  .string()
  .regex(MACHINE_NAME, `must match ${MACHINE_NAME.source}`)
  .openapi({ param: { name: "name", in: "path" }, example: "hello-world" });

export const executionName = z
  .string()
  .regex(EXECUTION_NAME, `must match ${EXECUTION_NAME.source}`)
  .openapi({ param: { name: "execution", in: "path" }, example: "run-1" });

export const Diagnostic = z
  .object({
    severity: z.enum(["ERROR", "WARNING"]),
    code: z.string(),
    message: z.string(),
    pointer: z.string(),
  })
  .strict()
  .openapi("Diagnostic");

export const ExecutionStatus = z.enum(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

export const ExecutionDescription = z
  .object({
    name: z.string(),
    machine: z.string(),
    machineVersion: z.number().int(),
    status: ExecutionStatus,
    input: JsonDocument,
    output: JsonDocument,
    error: z.string().nullable(),
    cause: z.string().nullable(),
    startedAt: z.string().openapi({ format: "date-time" }),
    stoppedAt: z.string().nullable().openapi({ format: "date-time" }),
    currentStates: z.array(z.string()),
    redriveCount: z.number().int(),
    redrivenAt: z.string().nullable(),
    redriveStatus: z.enum(["REDRIVABLE", "NOT_REDRIVABLE"]),
    redriveStatusReason: z.string().nullable(),
  })
  .strict()
  .openapi("ExecutionDescription");

export const ASL_DEFINITION = {
  required: true,
  content: {
    "application/json": {
      schema: z.unknown().openapi({ description: "An Amazon States Language definition (JSONPath mode)" }),
    },
  },
} as const;
