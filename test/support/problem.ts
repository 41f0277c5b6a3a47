// The one check for error replies: RFC 9457 problem documents whose `instance` is the request id.
import { expect } from "vitest";

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { pointer: string; message: string }[];
  /** A refused transaction's failed operations. */
  failures?: { index: number; code: string; detail: string; currentVersion?: number }[];
}

/** Text that only a leaked stack trace would contain. */
const STACK_TRACE = /\n\s+at |\bat \S+ \(|\.(?:ts|js|mjs):\d+/;

export async function expectProblem(res: Response, status: number): Promise<ProblemDocument> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
  expect(text).not.toMatch(STACK_TRACE);
  const body = JSON.parse(text) as ProblemDocument;
  expect(body).toMatchObject({
    type: expect.stringMatching(/^urn:edgestate:problem:[a-z0-9-]+$/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: res.headers.get("Request-Id"),
  });
  expect(body.instance).toMatch(/^[0-9a-f-]{36}$/);
  return body;
}
