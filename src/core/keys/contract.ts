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
  createdAt: number;
  revokedAt: number | null;
}

/** What listings show: everything but the hash. */
export type KeySummary = Omit<KeyRecord, "secretHash">;

export const summarize = ({ secretHash: _, ...summary }: KeyRecord): KeySummary => summary;
