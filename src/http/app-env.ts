import type { Principal } from "../auth/principal";

/** What middleware puts on the context for the routes and the log line after them. */
export interface AppVariables {
  requestId: string;
  /** The tenant this request acts on, once authenticated. */
  tenant?: string;
  principal?: Principal;
  /** Edgestate-Cache outcome of an eventual read: hit | miss | bypass. */
  cache?: "hit" | "miss" | "bypass";
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
