// A history event's details as a person reads them. Step Functions' history (and ours) carries
// payloads as JSON text ("input": "{\"order\":7}"); shown as it is, that is a wall of backslashes.
// Text that is a JSON document is parsed with the API's own parser and shown formatted; anything
// else (an error name, a plain cause) stays text.
import type { FC } from "hono/jsx";
import { parseJson } from "../../../core/json/parse-json";

/** Members that hold a payload as JSON text, whatever JSON value it is ("42", "\"hi\""). */
const PAYLOADS = new Set(["input", "output", "parameters", "result", "assignedVariables"]);

/** The value to show: a payload parsed, other JSON-looking text (a cause) parsed too, else as is. */
export function readable(key: string, value: unknown): { json: boolean; value: unknown } {
  if (typeof value !== "string") return { json: typeof value === "object" && value !== null, value };
  const looksLikeJson = /^\s*[[{]/.test(value);
  if (!PAYLOADS.has(key) && !looksLikeJson) return { json: false, value };
  const parsed = parseJson(value);
  if (!parsed.ok) return { json: false, value };
  return { json: true, value: parsed.value };
}

export const EventDetails: FC<{ details: Record<string, unknown> }> = ({ details }) => (
  <dl class="event-details">
    {Object.entries(details).map(([key, raw]) => {
      const shown = readable(key, raw);
      return (
        <>
          <dt>{key}</dt>
          <dd>
            {shown.json ? (
              <pre class="json short">{JSON.stringify(shown.value, null, 2)}</pre>
            ) : (
              <span class="plain">{String(shown.value)}</span>
            )}
          </dd>
        </>
      );
    })}
  </dl>
);
