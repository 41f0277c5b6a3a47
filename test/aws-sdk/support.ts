// The real AWS SDK for JavaScript against `wrangler dev`: a client per API key, pointed at
// /aws/states with the key's AWS credentials, and the REST calls the tests set things up with.
import { SFNClient } from "@aws-sdk/client-sfn";
import { inject } from "vitest";

export const REGION = "eu-central-1";

export interface Key {
  id: string;
  key: string;
  tenant: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
}

export const base = () => inject("baseUrl");

export async function rest(
  method: string,
  path: string,
  body?: unknown,
  bearer = inject("adminKey"),
  tenant?: string,
) {
  const headers: Record<string, string> = { Authorization: `Bearer ${bearer}` };
  if (tenant) headers["Edgestate-Tenant"] = tenant;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${base()}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function newKey(tenant: string, scopes: string[] = ["read", "write"]): Promise<Key> {
  const res = await rest("POST", "/v1/keys", { tenant, scopes });
  if (res.status !== 201) throw new Error(`POST /v1/keys: ${res.status} ${await res.text()}`);
  return (await res.json()) as Key;
}

/**
 * As the README tells users to configure it. disableHostPrefix: StartSyncExecution and TestState
 * would otherwise go to `sync-127.0.0.1`. maxAttempts 1: a test sees the first answer, never a
 * retry's.
 */
export function sfn(key: Pick<Key, "awsAccessKeyId" | "awsSecretAccessKey">, region = REGION): SFNClient {
  return new SFNClient({
    endpoint: `${base()}/aws/states`,
    region,
    credentials: { accessKeyId: key.awsAccessKeyId, secretAccessKey: key.awsSecretAccessKey },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}

export const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export const ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole";

/** The error an SDK call threw: its name is AWS's error name. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: err.name,
      message: err.message,
      ...(err.$metadata?.httpStatusCode ? { status: err.$metadata.httpStatusCode } : {}),
    };
  }
  throw new Error("the call succeeded");
}
