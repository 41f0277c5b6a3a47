// Signed Step Functions requests through the Worker, built by the SDK's own signer
// (@smithy/signature-v4), for tests that sign by hand (tampered bodies, old dates, wrong keys).

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { Sha256Js } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import worker from "../../src/index";
import { api, json } from "../support/api";

export interface AwsKey {
  id: string;
  key: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
}

export async function awsKey(tenant: string, scopes: string[] = ["read", "write"]): Promise<AwsKey> {
  const res = await api("POST", "/v1/keys", { body: { tenant, scopes } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  return json<AwsKey>(res);
}

export interface SignOptions {
  region?: string;
  at?: Date;
  path?: string;
  secret?: string;
  /** Replaces the body after signing. */
  tamper?: string;
  headers?: Record<string, string>;
  /** Secrets or vars of another deployment (a rotated ENCRYPTION_KEYS), over the same bindings. */
  env?: Partial<Record<keyof Env, unknown>>;
}

const HOST = "edgestate.test";

/** A Step Functions request signed as the SDK signs it (the key's AWS credentials). */
export async function signedRequest(
  key: AwsKey,
  action: string,
  input: unknown,
  options: SignOptions = {},
): Promise<Request> {
  const signer = new SignatureV4({
    service: "states",
    region: options.region ?? "us-east-1",
    credentials: {
      accessKeyId: key.awsAccessKeyId,
      secretAccessKey: options.secret ?? key.awsSecretAccessKey,
    },
    sha256: Sha256Js,
  });
  const body = JSON.stringify(input);
  const path = options.path ?? "/aws/states/";
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: "https:",
      hostname: HOST,
      path,
      headers: {
        host: HOST,
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AWSStepFunctions.${action}`,
        ...options.headers,
      },
      body,
    },
    { signingDate: options.at ?? new Date() },
  );
  return new Request(`https://${HOST}${path}`, {
    method: "POST",
    headers: signed.headers as Record<string, string>,
    body: options.tamper ?? body,
  });
}

export async function aws(key: AwsKey, action: string, input: unknown, options: SignOptions = {}) {
  const request = await signedRequest(key, action, input, options);
  let res: Response;
  if (options.env) {
    const ctx = createExecutionContext();
    res = await worker.fetch(request, { ...env, ...options.env } as Env, ctx);
    await waitOnExecutionContext(ctx);
  } else res = await exports.default.fetch(request);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}
