// The one way an HTTP task reaches the network: every URL it is sent to, the first and each
// redirect's, passes the origin policy (core/net/origin-policy.ts) before a byte leaves. Redirects
// are followed here, not by fetch, precisely so each hop is checked; a refusal is the task error
// Edgestate.DestinationNotAllowed, whose cause says which URL and why.
import { checkOrigin, type OriginPolicy } from "../core/net/origin-policy";
import { SELF_CALL_HEADER, viaOf } from "./self-call";
import { failed, type TaskOutcome } from "./task-outcome";

export const DESTINATION_NOT_ALLOWED = "Edgestate.DestinationNotAllowed";
export const TOO_MANY_REDIRECTS = "Edgestate.TooManyRedirects";
/** Fetch allows 20; an API that needs more than five hops is misconfigured. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Dropped with the body when a redirect turns the request into a GET (Fetch §4.4). */
const BODY_HEADERS = [
  "Content-Type",
  "Content-Encoding",
  "Content-Language",
  "Content-Location",
  "Content-Length",
];
/** Credentials meant for one origin never follow a redirect to another (Fetch §4.4). */
const CREDENTIAL_HEADERS = ["Authorization", "Cookie", "Proxy-Authorization"];

export interface OutboundRequest {
  method: string;
  headers: Headers;
  body: string | undefined;
}

export interface OutboundContext {
  policy: OriginPolicy;
  /** This deployment's Via pseudonym (self-call.ts). */
  pseudonym: string;
  signal: AbortSignal;
}

export type Fetched = { ok: true; response: Response } | { ok: false; outcome: TaskOutcome };

/** Throws only what fetch throws (network failure, abort); every refusal is an outcome. */
export async function allowedFetch(
  start: URL,
  request: OutboundRequest,
  ctx: OutboundContext,
): Promise<Fetched> {
  let url = start;
  let { method, body } = request;
  const headers = new Headers(request.headers);
  headers.append("Via", viaOf(ctx.pseudonym));
  for (let hop = 0; ; hop++) {
    const verdict = checkOrigin(ctx.policy, url);
    if (!verdict.allowed) {
      const via = hop === 0 ? "" : ` (reached by redirect from ${start.origin})`;
      return refused(`http:invoke may not call ${url.origin}${via}: ${verdict.reason}`);
    }
    const response = await fetch(url, { method, headers, body, redirect: "manual", signal: ctx.signal });
    if (response.status === 508 && response.headers.has(SELF_CALL_HEADER)) {
      return refused(
        `${url.origin} is this edgestate deployment: a task may not call the service that runs it`,
      );
    }
    const location = response.headers.get("Location");
    const next = REDIRECTS.has(response.status) && location !== null ? resolve(location, url) : null;
    if (!next) return { ok: true, response };
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) {
      return {
        ok: false,
        outcome: failed(TOO_MANY_REDIRECTS, `${start.href} redirected more than ${MAX_REDIRECTS} times`),
      };
    }
    if (response.status === 303 ? method !== "HEAD" : response.status <= 302 && method === "POST") {
      method = "GET";
      body = undefined;
      for (const name of BODY_HEADERS) headers.delete(name);
    }
    if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    url = next;
  }
}

const refused = (cause: string): Fetched => ({ ok: false, outcome: failed(DESTINATION_NOT_ALLOWED, cause) });

/** A Location that is not a URL ends the redirects: the 3xx itself is the reply. */
function resolve(location: string, base: URL): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}
