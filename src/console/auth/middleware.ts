import type { MiddlewareHandler } from "hono";
import { getConfig } from "../../config";
import type { ConsoleEnv } from "../console-env";
import { readSession } from "./console-session";
import { CSRF_FIELD, CSRF_HEADER, csrfToken, sameOrigin, validCsrfToken } from "./csrf";
import { readConsoleBody } from "./form-body";
import { ConsoleRefusal } from "./refusal";

/** Pages anyone may load: the sign-in form and the static files it needs. */
const isPublic = (path: string) => path === "/console/sign-in" || path.startsWith("/console/assets/");

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every /console request: unsafe methods must come from this origin; signed-in pages need the
 * cookie (else the sign-in form, remembering where the user was going) and, for unsafe methods,
 * the CSRF token bound to it.
 */
export function consoleGuard(): MiddlewareHandler<ConsoleEnv> {
  return async function consoleGuard(c, next) {
    const path = c.req.path;
    const unsafe = UNSAFE.has(c.req.method);
    if (unsafe && !sameOrigin(c)) {
      throw new ConsoleRefusal(403, "This form was sent from another site, so it was refused.");
    }
    if (isPublic(path)) return unsafe ? limited(c, next) : next();

    const session = readSession(c);
    if (!session) {
      if (unsafe || c.req.header("X-Console-Poll")) throw new ConsoleRefusal(401, "You are signed out.");
      const here = new URL(c.req.url);
      return c.redirect(`/console/sign-in?next=${encodeURIComponent(here.pathname + here.search)}`, 303);
    }
    c.set("session", session);
    c.set("csrf", await csrfToken(session));
    if (!unsafe) return next();

    return limited(c, async () => {
      const presented = c.req.header(CSRF_HEADER) ?? (await formField(c, CSRF_FIELD));
      if (!(await validCsrfToken(session, presented))) {
        throw new ConsoleRefusal(
          403,
          "The form's security token is missing or out of date. Reload the page and try again.",
        );
      }
      await next();
    });
  };
}

/** Console bodies are forms (URL-encoded JSON inflates up to 3×) or the validator's JSON. */
async function limited(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], next: () => Promise<void>) {
  await readConsoleBody(c, getConfig(c.env).maxBodyBytes * 3);
  await next();
}

/** Reads a form field; Hono keeps the parsed form, so the route's own parseBody() reuses it. */
async function formField(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], name: string) {
  const type = c.req.header("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return undefined;
  }
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value : undefined;
}
