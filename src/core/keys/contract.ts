// API keys as their objects hold them: the contract of ApiKeyObject and KeyRegistry, in one place.

export type Scope = "read" | "write" | "admin";
export const SCOPES: readonly Scope[] = ["read", "write", "admin"];

/** What the per-key object stores. Never the key itself. */
export interface KeyRecord {
  id: string;
  tenant: string;
  scopes: Scope[];
  name: string;
  secretHash: string;
  /**
   * The SigV4 secret (aws-secret.ts), sealed. Absent for keys issued before the AWS API existed:
   * those authenticate with Bearer only.
   */
  awsSecret?: string;
  createdAt: number;
  revokedAt: number | null;
}

/** Where a key's AWS secret is sealed: bound to its tenant and its id, so it opens nowhere else. */
export const awsSecretPlace = (tenant: string, keyId: string) => ({
  tenant,
  kind: "aws-secret",
  name: keyId,
  version: 1,
});

/** What listings show: everything but the hash and the sealed AWS secret. */
export type KeySummary = Omit<KeyRecord, "secretHash" | "awsSecret">;

export const summarize = ({ secretHash: _, awsSecret: __, ...summary }: KeyRecord): KeySummary => summary;

/** The kinds of object that can be watched. */
export type WatchedKind = "entity" | "session" | "execution";

/**
 * An object holding watchers of a key, as the key's record lists it: by Durable Object id (the
 * hex string), so the record holds no entity or session name, in clear or otherwise.
 */
export interface WatchedObject {
  kind: WatchedKind;
  id: string;
}

/** A watch ticket as its issuing key's record keeps it: never the ticket itself. */
export interface TicketRecord {
  /** SHA-256 (hex) of the ticket's secret. */
  hash: string;
  tenant: string;
  /** SHA-256 (hex) of the watch path the ticket opens. */
  target: string;
  expiresAt: number;
}

/** Objects one key may hold watchers in at once; past it, its next watch elsewhere is refused. */
export const MAX_WATCHED_OBJECTS = 10_000;
