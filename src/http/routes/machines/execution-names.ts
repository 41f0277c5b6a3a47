// Which execution a start lands on: the name in the body, else — when the request carries an
// Idempotency-Key — a name derived from (tenant, machine, key), so a retried start reaches the
// same ExecutionObject and replays there instead of starting a second execution; else a UUID.
// Derived like session ids (crypto/derived-keys.ts): 43 base64url characters, unguessable without
// the deployment's key, and changed by rotating the primary key.
import { getConfig } from "../../../config";
import { fail } from "../../../core/result";
import { derivedId } from "../../../crypto/derived-keys";
import { fromFailure } from "../../problem";

export async function executionNameFor(
  env: Env,
  tenant: string,
  machine: string,
  given: string | undefined,
  keyDigest: string | undefined,
): Promise<string> {
  if (given !== undefined) return given;
  if (keyDigest === undefined) return crypto.randomUUID();
  const config = getConfig(env);
  // The auth middleware refuses a misconfigured deployment before any route runs.
  if (!config.ring) throw fromFailure(fail("unavailable", config.problems.join("; ")));
  // Tenant and machine names never contain "\n", so the message is unambiguous.
  return derivedId(config.ring, "edgestate/v1/execution-name", `${tenant}\n${machine}\n${keyDigest}`);
}
