import { checkInteger, checkReferencePathField } from "../checks.ts";
import type { StateCheck } from "../context.ts";
import { at } from "../diagnostics.ts";
import { has } from "../json.ts";
import { isTimestamp } from "../timestamp.ts";

const DURATION_FIELDS = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"] as const;

export function checkWait({ ctx, state, pointer }: StateCheck): void {
  const diags = ctx.diags;
  const present = DURATION_FIELDS.filter((key) => has(state, key));
  if (present.length === 0) {
    diags.error(
      "MISSING_FIELD",
      pointer,
      "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath",
    );
  }
  for (const extra of present.slice(1)) {
    diags.error(
      "EXCLUSIVE_FIELDS",
      at(pointer, extra),
      `a Wait state takes only one of Seconds, SecondsPath, Timestamp, TimestampPath; it already has ${present[0]}`,
    );
  }
  checkInteger(diags, state, "Seconds", pointer, 0);
  const timestamp = state.Timestamp;
  if (timestamp !== undefined && (typeof timestamp !== "string" || !isTimestamp(timestamp))) {
    diags.error(
      "INVALID_TIMESTAMP",
      at(pointer, "Timestamp"),
      "Timestamp must be an RFC 3339 string such as 2016-03-14T01:59:00Z",
    );
  }
  checkReferencePathField(diags, state, "SecondsPath", pointer);
  checkReferencePathField(diags, state, "TimestampPath", pointer);
}
