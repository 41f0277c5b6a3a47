// Timestamps in Choice rules and Wait states are RFC 3339 date-times with an uppercase `T` and a
// `Z` or numeric offset (Step Functions refuses lowercase and missing zones).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Epoch milliseconds of an RFC 3339 timestamp, or null when it is not one. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export const isTimestamp = (value: unknown): boolean => parseTimestamp(value) !== null;
