// The soak's server: the project's config with absolute paths and no throttling, HISTORY_LIMIT
// raised so every version a run writes stays readable, and http:invoke allowed to the task server.
import { join } from "node:path";
import { devServer, writeConfig } from "./server.mjs";

export function server(root, dir, port, taskPort) {
  const config = writeConfig(root, dir);
  return devServer({
    root,
    config,
    persistTo: join(dir, "state"),
    port,
    inspectorPort: port + 100,
    logFile: join(dir, "wrangler.log"),
    vars: { HISTORY_LIMIT: "1000", HTTP_TASK_ALLOWED_ORIGINS: `http://127.0.0.1:${taskPort}` },
  });
}
