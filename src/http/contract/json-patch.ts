// The JSON Patch body (RFC 6902) as the document describes it. The route parses it itself
// (core/entity/json-patch.ts, with a pointer to each malformed operation), so this schema only
// describes: it must say what that parser accepts.
import { z } from "@hono/zod-openapi";

const pointer = { type: "string", description: "A JSON Pointer (RFC 6901)", example: "/a/b" } as const;
// RFC 6902 §4: members an operation does not define are ignored, so operations stay open objects.
const operation = (ops: string[], members: Record<string, object>) => ({
  type: "object" as const,
  properties: { op: { type: "string" as const, enum: ops }, ...members },
  required: ["op", ...Object.keys(members)],
});

export const JsonPatch = z.unknown().openapi("JsonPatch", {
  description: "An array of RFC 6902 operations, applied in order and atomically",
  type: "array",
  items: {
    oneOf: [
      operation(["add", "replace", "test"], { path: pointer, value: { description: "Any JSON value" } }),
      operation(["remove"], { path: pointer }),
      operation(["move", "copy"], { from: pointer, path: pointer }),
    ],
  },
});
