import type { Context, ErrorHandler } from "hono";
import { clearSession } from "./auth/console-session";
import { ConsoleRefusal } from "./auth/refusal";
import type { ConsoleEnv } from "./console-env";
import { barePage, page } from "./layout";

/** The console's onError: refusals become readable pages; anything else is a logged 500 page. */
export const consoleError: ErrorHandler<ConsoleEnv> = (err, c) => {
  const wantsJson = c.req.header("Content-Type")?.includes("json") || c.req.header("X-Console-Poll");
  if (err instanceof ConsoleRefusal) {
    if (err.status === 401) {
      clearSession(c);
      if (wantsJson) return c.json({ problem: { title: "Signed out", detail: err.reason } }, 401);
      return c.redirect("/console/sign-in?reason=signed-out", 303);
    }
    if (wantsJson) return c.json({ problem: { title: "Refused", detail: err.reason } }, err.status);
    return messagePage(c, err.status, err.status === 413 ? "Too large" : "Request refused", err.reason);
  }
  console.error(
    JSON.stringify({
      requestId: c.get("requestId"),
      event: "console_error",
      error: String(err),
      stack: err instanceof Error ? err.stack : undefined,
    }),
  );
  const detail = `Something went wrong on our side. Quote request id ${c.get("requestId")} when reporting it.`;
  if (wantsJson) return c.json({ problem: { title: "Internal error", detail } }, 500);
  return messagePage(c, 500, "Something went wrong", detail);
};

export function messagePage(c: Context<ConsoleEnv>, status: number, title: string, detail: string) {
  const body = (
    <>
      <h1>{title}</h1>
      <div class="alert error" role="alert">
        <p>{detail}</p>
      </div>
      <p>
        <a href="/console">Back to the console</a>
      </p>
    </>
  );
  return c.get("session") ? page(c, { title, status }, body) : barePage(c, title, body, status);
}

export const notFoundPage = (c: Context<ConsoleEnv>) =>
  messagePage(c, 404, "Page not found", `There is no console page at ${c.req.path}.`);
