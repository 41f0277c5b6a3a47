import type { Scope } from "../core/keys/contract";

/** Who is calling: the deployment's root key, or a tenant's API key. */
export type Principal = { kind: "admin" } | { kind: "key"; id: string; tenant: string; scopes: Scope[] };

export const hasScope = (p: Principal, scope: Scope): boolean =>
  p.kind === "admin" || p.scopes.includes(scope);
