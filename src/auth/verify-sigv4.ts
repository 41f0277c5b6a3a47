// Who sent an AWS Signature Version 4 request: the access key id is an API key's id, the secret the
// AWS secret issued with it (aws-secret.ts). The key's record comes from the same per-key object
// and isolate cache as Bearer verification (verify-key.ts), so revocation reaches SigV4 at the same
// time; the signing key derived from the secret is remembered for KEY_CACHE_MS too, so a busy key
// costs one seal-open and four HMACs per isolate per few seconds, not per request.

import { type AwsResult, awsFail, awsOk } from "../aws/errors";
import { parseAuthorization, SERVICE, type SignatureClaims } from "../aws/sigv4/authorization";
import type { ArrivedRequest } from "../aws/sigv4/canonical";
import { signingKey } from "../aws/sigv4/signing-key";
import { checkFreshness, verifySignature } from "../aws/sigv4/verify";
import type { Config } from "../config";
import type { KeyRecord } from "../core/keys/contract";
import { SealError } from "../crypto/sealer";
import { openAwsSecret } from "./aws-secret";
import { isKeyId } from "./key-format";
import type { Principal } from "./principal";
import { KEY_CACHE_MS, lookup } from "./verify-key";

const MAX_CACHED_SIGNING_KEYS = 10_000;
const signingKeys = new Map<string, { key: Uint8Array; at: number }>();

const unrecognized = () =>
  awsFail("UnrecognizedClientException", "The security token included in the request is invalid.");

export interface SignedCaller {
  principal: Extract<Principal, { kind: "key" }>;
  /** The region the request was signed for: the region of every ARN in its reply. */
  region: string;
}

export async function verifySigV4(
  env: Env,
  config: Config,
  request: Request,
  body: Uint8Array,
  now = Date.now(),
): Promise<AwsResult<SignedCaller>> {
  const headers = request.headers;
  const claims = parseAuthorization(
    headers.get("Authorization") ?? undefined,
    headers.get("X-Amz-Date") ?? undefined,
  );
  if (!claims.ok) return claims;
  const fresh = checkFreshness(claims.value, now);
  if (!fresh.ok) return fresh;
  // edgestate issues no temporary credentials: a session token names none of its keys.
  if (headers.has("X-Amz-Security-Token") || !isKeyId(claims.value.accessKeyId)) return unrecognized();
  const record = await lookup(env, claims.value.accessKeyId, now);
  if (!record || record.revokedAt !== null || record.awsSecret === undefined) return unrecognized();
  const key = await signingKeyOf(config, record, claims.value, now);
  if (!key.ok) return key;
  const url = new URL(request.url);
  const arrived: ArrivedRequest = {
    method: request.method,
    path: url.pathname,
    search: url.search,
    header: (name) => headers.get(name),
  };
  const verified = verifySignature(arrived, body, claims.value, key.value, headers.keys());
  if (!verified.ok) return verified;
  return awsOk({
    principal: { kind: "key", id: record.id, tenant: record.tenant, scopes: record.scopes },
    region: claims.value.region,
  });
}

async function signingKeyOf(
  config: Config,
  record: KeyRecord,
  claims: SignatureClaims,
  now: number,
): Promise<AwsResult<Uint8Array>> {
  const cacheKey = `${record.id}/${claims.scopeDate}/${claims.region}`;
  const hit = signingKeys.get(cacheKey);
  if (hit && now - hit.at < KEY_CACHE_MS) return awsOk(hit.key);
  if (!config.sealer) return awsFail("ServiceUnavailable", "encryption keys are unavailable");
  let secret: string;
  try {
    secret = await openAwsSecret(config.sealer, record.tenant, record.id, record.awsSecret!);
  } catch (e) {
    if (e instanceof SealError)
      return awsFail("InternalFailure", `the key's AWS secret cannot be opened: ${e.message}`);
    throw e;
  }
  const key = signingKey(secret, claims.scopeDate, claims.region, SERVICE);
  if (signingKeys.size >= MAX_CACHED_SIGNING_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
  signingKeys.set(cacheKey, { key, at: now });
  return awsOk(key);
}
