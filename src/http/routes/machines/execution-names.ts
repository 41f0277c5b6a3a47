// Which execution a start lands on: the name in the body, else — when the request carries an
// Idempotency-Key — a name derived from (tenant, machine, key), so a retried start reaches the
// same ExecutionObject and replays there instead of starting a second execution; else a UUID.
// Execution names are not secrets (listings show them), so a plain SHA-256 serves, with no key
// that rotation would change: a retry straddling a key rotation still lands on the same execution.
import { encodeBase64Url } from "../../../core/encoding";

export async function executionNameFor(
  tenant: string,
  machine: string,
  given: string | undefined,
  keyDigest: string | undefined,
): Promise<string> {
  if (given !== undefined) return given;
  if (keyDigest === undefined) return crypto.randomUUID();
  // Tenant and machine names never contain "\n", so the message is unambiguous.
  const message = new TextEncoder().encode(
    `edgestate/execution-name/v1\n${tenant}\n${machine}\n${keyDigest}`,
  );
  return encodeBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", message)));
}
