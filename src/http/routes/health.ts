import type { Hono } from "hono";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";

/** No auth: load balancers and the quick start call it. A misconfigured deployment is not healthy. */
export function healthRoutes(app: Hono<AppEnv>) {
  app.get("/healthz", (c) => {
    const { problems } = getConfig(c.env);
    if (problems.length) {
      console.error(JSON.stringify({ event: "misconfigured", problems }));
      return c.json({ status: "unavailable", problems }, 503);
    }
    return c.json({ status: "ok" }, 200);
  });
}
