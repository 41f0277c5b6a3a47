// The state machine definition API's contract.
import { createRoute, z } from "@hono/zod-openapi";
import { access, intQuery, JsonDocument, keyedHeaders, problemContent } from "../../schemas/common";
import { ASL_DEFINITION, Diagnostic, machineName } from "./schemas";

const params = z.object({ name: machineName });
const Written = z
  .object({
    name: z.string(),
    version: z.number().int(),
    createdAt: z.string().openapi({ format: "date-time" }),
    diagnostics: z.array(Diagnostic).openapi({ description: "WARNING diagnostics (an ERROR is a 400)" }),
  })
  .strict()
  .openapi("MachineVersionWritten");

export const putMachine = createRoute({
  method: "put",
  path: "/v1/machines/{name}",
  operationId: "putMachine",
  tags: ["state machines"],
  summary: "Create a state machine or add a version (a definition equal to the latest returns it unchanged)",
  ...access("write"),
  request: { params, headers: keyedHeaders, body: ASL_DEFINITION },
  responses: {
    200: {
      description: "A new version (or the unchanged latest)",
      content: { "application/json": { schema: Written } },
    },
    201: { description: "Created", content: { "application/json": { schema: Written } } },
    400: problemContent("Invalid input, or an invalid definition: `errors` lists every ERROR diagnostic"),
  },
});

export const validateDefinition = createRoute({
  method: "post",
  path: "/v1/definitions/validate",
  operationId: "validateDefinition",
  tags: ["state machines"],
  summary: "Validate a definition without storing it",
  ...access("read"),
  request: { body: ASL_DEFINITION },
  responses: {
    200: {
      description: "The verdict",
      content: {
        "application/json": {
          schema: z.object({ valid: z.boolean(), diagnostics: z.array(Diagnostic) }).strict(),
        },
      },
    },
  },
});

export const listMachines = createRoute({
  method: "get",
  path: "/v1/machines",
  operationId: "listMachines",
  tags: ["state machines"],
  summary: "List state machines (KV index, eventually consistent)",
  ...access("read"),
  request: {
    query: z.object({
      limit: intQuery(1, 1000, "Page size (default 100)"),
      cursor: z.string().max(1024).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of machines",
      content: {
        "application/json": {
          schema: z
            .object({
              items: z.array(
                z
                  .object({
                    name: z.string(),
                    latestVersion: z.number().int(),
                    createdAt: z.string().openapi({ format: "date-time" }),
                    updatedAt: z.string().openapi({ format: "date-time" }),
                  })
                  .strict(),
              ),
              cursor: z.string().nullable(),
            })
            .strict(),
        },
      },
    },
  },
});

export const getMachine = createRoute({
  method: "get",
  path: "/v1/machines/{name}",
  operationId: "getMachine",
  tags: ["state machines"],
  summary: "Read a state machine's latest (or a given) version",
  ...access("read"),
  request: { params, query: z.object({ version: intQuery(1, Number.MAX_SAFE_INTEGER, "A kept version") }) },
  responses: {
    200: {
      description: "The definition version",
      content: {
        "application/json": {
          schema: z
            .object({
              name: z.string(),
              version: z.number().int(),
              createdAt: z.string().openapi({ format: "date-time" }),
              latestVersion: z.number().int(),
              definition: JsonDocument.openapi({ description: "The Amazon States Language definition" }),
              versions: z.array(
                z
                  .object({
                    version: z.number().int(),
                    createdAt: z.string().openapi({ format: "date-time" }),
                  })
                  .strict(),
              ),
            })
            .strict()
            .openapi("MachineVersion"),
        },
      },
    },
    404: problemContent("No such machine or version"),
  },
});

export const deleteMachine = createRoute({
  method: "delete",
  path: "/v1/machines/{name}",
  operationId: "deleteMachine",
  tags: ["state machines"],
  summary: "Delete a state machine (running executions finish on their own copy)",
  ...access("write"),
  request: { params, headers: keyedHeaders },
  responses: {
    204: { description: "Deleted" },
    404: problemContent("No such machine"),
  },
});

export const machineDiagram = createRoute({
  method: "get",
  path: "/v1/machines/{name}/diagram.svg",
  operationId: "getMachineDiagram",
  tags: ["state machines"],
  summary: "The machine as an SVG diagram, coloured by an execution's progress when `execution` is given",
  ...access("read"),
  request: {
    params,
    query: z.object({
      version: intQuery(1, Number.MAX_SAFE_INTEGER, "A kept version (default: latest)"),
      execution: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,80}$/, "must be an execution name")
        .optional(),
    }),
  },
  responses: {
    200: { description: "SVG", content: { "image/svg+xml": { schema: z.string() } } },
    404: problemContent("No such machine, version or execution"),
  },
});
