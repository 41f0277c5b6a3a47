// What the state machine pages share: breadcrumbs, form and query readers, the "cannot show it" page.
import type { Context } from "hono";
import type { ApiClient, ApiProblem } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import { MachineProblem } from "../pages/machines/machine-views";

export type Api = (c: Context<ConsoleEnv>) => ApiClient;
export const str = (v: unknown) => (typeof v === "string" ? v : "");
export const crumbs = [{ href: "/console/machines", label: "State machines" }];
export const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** ?version=N when it is a version number, else undefined (the latest). */
export const versionQuery = (c: Context<ConsoleEnv>) =>
  /^[1-9][0-9]{0,15}$/.test(c.req.query("version") ?? "") ? c.req.query("version") : undefined;

/** A machine that cannot be shown: the API's reason, and a way back. */
export function machineMissing(c: Context<ConsoleEnv>, name: string, problem: ApiProblem, status: number) {
  return page(
    c,
    { title: name, section: "machines", crumbs, status },
    <>
      <h1>{name}</h1>
      <MachineProblem problem={problem} />
    </>,
  );
}
