// For tests that cause failures on purpose (tampered ciphertext, a dropped key, a broken setting):
// the Worker's error log lines are captured instead of printed, so a passing suite shows no
// alarming text, and each captured line must be what an operator can use: one JSON object naming
// its event (and, from a request, its request id).
import { afterEach, beforeEach, expect, type MockInstance, vi } from "vitest";

export interface ErrorLine {
  event: string;
  requestId?: string;
  type?: string;
  [field: string]: unknown;
}

export function captureErrorLog() {
  let spy: MockInstance<typeof console.error> | undefined;
  const lines = (): ErrorLine[] =>
    (spy?.mock.calls ?? []).map((call) => JSON.parse(String(call[0])) as ErrorLine);
  beforeEach(() => {
    spy = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    try {
      for (const line of lines()) expect(line.event, JSON.stringify(line)).toEqual(expect.any(String));
    } finally {
      spy?.mockRestore();
    }
  });
  return {
    lines,
    /** The `server_problem` lines: one per 500, with its problem type. */
    serverProblems: () => lines().filter((l) => l.event === "server_problem"),
  };
}
