import type { AppVariables } from "../http/app-env";
import type { ConsoleSession } from "./auth/console-session";

export interface ConsoleVariables extends AppVariables {
  /** Set by requireSession on every signed-in page. */
  session: ConsoleSession;
  csrf: string;
}

export interface ConsoleEnv {
  Bindings: Env;
  Variables: ConsoleVariables;
}

/** The Worker's own fetch (the whole app: middleware, /v1 routes, onError). */
export type AppFetch = (request: Request, env: Env, ctx?: ExecutionContext) => Response | Promise<Response>;
