// What the execution listings share: their query, an item's shape, and how a KV index entry
// becomes one (GET /v1/machines/{name}/executions and GET /v1/executions).
import { z } from "@hono/zod-openapi";
import type { ExecutionMetadata } from "../../../cache/machine-index";
import { intQuery } from "../../schemas/common";
import { ExecutionStatus } from "./schemas";

export const listingQuery = z.object({
  status: ExecutionStatus.optional(),
  limit: intQuery(1, 1000, "Page size (default 100)"),
  cursor: z.string().max(1024).optional(),
});

export const ListedExecution = z
  .object({
    name: z.string(),
    status: ExecutionStatus,
    machineVersion: z.number().int(),
    startedAt: z.string().openapi({ format: "date-time" }),
    stoppedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .strict();

const iso = (ms: number) => new Date(ms).toISOString();

export const listedExecution = (entry: { name: string } & ExecutionMetadata) => ({
  name: entry.name,
  status: entry.s,
  machineVersion: entry.v,
  startedAt: iso(entry.t),
  stoppedAt: entry.e === null ? null : iso(entry.e),
});
