// The AWS-style secret every API key gets beside its bearer secret, for Signature Version 4.
// SigV4 is an HMAC keyed by the secret itself, so the server must be able to use the secret: a
// digest (what the bearer secret is stored as) could never check a signature. It is therefore
// stored sealed with the deployment's envelope encryption (AES-256-GCM under the tenant's key,
// bound to the tenant and the key's id, so a sealed secret moved to another key does not open),
// opened only to derive a signing key, and never kept in clear: not in storage, not in a cache
// (the isolate keeps the derived key, good for one day, one region and one service, for at most
// KEY_CACHE_MS). Whoever holds ENCRYPTION_KEYS can open it, as they can open every document.

import { encodeBase64 } from "../core/encoding";
import { awsSecretPlace } from "../core/keys/contract";
import type { Sealer } from "../crypto/sealer";

/** 30 random bytes → 40 base64 characters, the length and alphabet of an AWS secret access key. */
export function issueAwsSecret(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(30)));
}

export const sealAwsSecret = (sealer: Sealer, tenant: string, keyId: string, secret: string) =>
  sealer.seal(secret, awsSecretPlace(tenant, keyId));

/** Throws SealError when the value cannot be opened (its key left the ring, or it was altered or moved). */
export const openAwsSecret = (sealer: Sealer, tenant: string, keyId: string, sealed: string) =>
  sealer.open(sealed, awsSecretPlace(tenant, keyId));
