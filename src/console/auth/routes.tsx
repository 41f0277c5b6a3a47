// Sign-in, sign-out and the root key's tenant switch.
import type { Hono } from "hono";
import { verifyBearer } from "../../auth/verify-key";
import { getConfig } from "../../config";
import { DEFAULT_TENANT, TENANT } from "../../core/names";
import type { ConsoleEnv } from "../console-env";
import { barePage } from "../layout";
import { SignInPage } from "../pages/sign-in";
import { clearSession, newNonce, readSession, writeSession } from "./console-session";

const NOTICES: Record<string, string> = {
  "signed-out": "You were signed out: your API key is no longer accepted. Sign in again.",
  bye: "You are signed out.",
};

const NEXT_BASE = "https://console.invalid";

/**
 * Only a console path of this origin, judged as the browser will resolve it: the URL parser
 * removes dot segments ("/console/../v1/keys", "/console/%2e%2e/v1"), so the path is checked, and
 * returned, in that resolved form. Backslashes and control characters, which browsers rewrite or
 * drop, are never part of a link the console makes: such a value is refused outright.
 */
export function safeNext(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (typeof value !== "string" || !value.startsWith("/") || /[\\\x00-\x20\x7f]/.test(value))
    return "/console";
  let url: URL;
  try {
    url = new URL(value, NEXT_BASE);
  } catch {
    return "/console";
  }
  const inConsole = url.pathname === "/console" || url.pathname.startsWith("/console/");
  return url.origin === NEXT_BASE && inConsole ? `${url.pathname}${url.search}` : "/console";
}

export function authRoutes(web: Hono<ConsoleEnv>) {
  web.get("/console/sign-in", (c) => {
    const reason = c.req.query("reason");
    const next = safeNext(c.req.query("next"));
    if (readSession(c) && !reason) return c.redirect(next, 303);
    const notice = reason && Object.hasOwn(NOTICES, reason) ? NOTICES[reason] : undefined;
    return barePage(c, "Sign in", <SignInPage next={next} {...(notice ? { notice } : {})} />);
  });

  web.post("/console/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === "string" ? form.key.trim() : "";
    const requested = typeof form.tenant === "string" ? form.tenant.trim() : "";
    const next = safeNext(form.next);
    const refuse = (status: 400 | 401 | 403 | 503, error: string) =>
      barePage(c, "Sign in", <SignInPage next={next} tenant={requested} error={error} />, status);

    const config = getConfig(c.env);
    if (config.problems.length)
      return refuse(503, `edgestate is misconfigured: ${config.problems.join("; ")}.`);
    if (!key) return refuse(400, "Enter an API key.");
    if (requested && !TENANT.test(requested)) {
      return refuse(
        400,
        "A tenant name is lowercase letters, digits, - and _ (up to 64), starting with a letter or digit.",
      );
    }
    // The very check the API's auth middleware makes, so the console accepts exactly the keys the API does.
    const principal = await verifyBearer(c.env, config, key);
    if (!principal) return refuse(401, "That API key is unknown or revoked.");
    if (principal.kind === "key" && requested && requested !== principal.tenant) {
      return refuse(403, `This key belongs to tenant "${principal.tenant}", not "${requested}".`);
    }
    writeSession(c, {
      key,
      tenant: principal.kind === "admin" ? requested || DEFAULT_TENANT : principal.tenant,
      admin: principal.kind === "admin",
      nonce: newNonce(),
    });
    return c.redirect(next, 303);
  });

  web.post("/console/sign-out", (c) => {
    clearSession(c);
    return c.redirect("/console/sign-in?reason=bye", 303);
  });

  web.post("/console/tenant", async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const tenant = typeof form.tenant === "string" ? form.tenant.trim() : "";
    const next = safeNext(form.next);
    if (!session.admin || !TENANT.test(tenant)) return c.redirect(next, 303);
    writeSession(c, { ...session, tenant });
    // The page that was open belongs to the old tenant; its section's index is the safe place to land.
    const section = /^\/console\/(machines|entities|sessions)/.exec(next)?.[0] ?? "/console";
    return c.redirect(section, 303);
  });
}
