// Which origins an HTTP task may call: HTTP_TASK_ALLOWED_ORIGINS, a comma-separated list of
// origins (`http://127.0.0.1:8899`) and patterns (`https://*.example.com`, `https://*:*`). Empty
// means `https://*:*`: any public host over HTTPS, on any port.
//
// A wildcard never matches a host that is not public (public-host.ts): loopback, private,
// link-local and metadata addresses, localhost and other local names. Only an origin listed
// exactly can name one, so reaching a local service is always a deliberate, visible setting.
import { classifyHost } from "./public-host";

export const DEFAULT_ALLOWED_ORIGINS = "https://*:*";

interface Rule {
  scheme: "http" | "https";
  /** An exact canonical hostname, "*" (any public host) or ".suffix" (any public subdomain). */
  host: string;
  /** "*" or the port number as a string ("443" for https without a port). */
  port: string;
}

export interface OriginPolicy {
  /** The list as configured, for messages. */
  readonly source: string;
  readonly rules: readonly Rule[];
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

const DEFAULT_PORT = { http: "80", https: "443" } as const;
const ENTRY = /^(https?):\/\/(\*|\*\.[^/:*@]+|\[[0-9A-Fa-f:.]+\]|[^/:*@[\]]+)(?::(\*|\d{1,5}))?\/?$/i;

/** The policy, or a message saying which entry is malformed. */
export function parseOriginPolicy(
  raw: string,
): { ok: true; policy: OriginPolicy } | { ok: false; problem: string } {
  const source = raw.trim() === "" ? DEFAULT_ALLOWED_ORIGINS : raw;
  const rules: Rule[] = [];
  for (const entry of source
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const rule = parseEntry(entry);
    if (!rule) {
      return {
        ok: false,
        problem: `HTTP_TASK_ALLOWED_ORIGINS has ${JSON.stringify(entry)}, which is not an origin such as http://127.0.0.1:8899 or a pattern such as https://*.example.com`,
      };
    }
    rules.push(rule);
  }
  return { ok: true, policy: { source, rules } };
}

function parseEntry(entry: string): Rule | null {
  const match = ENTRY.exec(entry);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase() as Rule["scheme"];
  const [host, port] = [match[2]!, match[3]];
  if (port !== undefined && port !== "*" && (Number(port) < 1 || Number(port) > 65535)) return null;
  const portRule = port ?? DEFAULT_PORT[scheme];
  if (host === "*") return { scheme, host, port: portRule };
  // The URL parser canonicalises the host as it will canonicalise every endpoint compared with it.
  const canonical = canonicalHost(scheme, host.startsWith("*.") ? host.slice(2) : host);
  if (canonical === null) return null;
  return { scheme, host: host.startsWith("*.") ? `.${canonical}` : canonical, port: portRule };
}

function canonicalHost(scheme: string, host: string): string | null {
  try {
    return new URL(`${scheme}://${host}`).hostname;
  } catch {
    return null;
  }
}

/** Whether a task may call `url`, and if not, why. */
export function checkOrigin(policy: OriginPolicy, url: URL): Verdict {
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https")
    return { allowed: false, reason: "only http and https are called" };
  const port = url.port || DEFAULT_PORT[scheme];
  const host = classifyHost(url.hostname);
  for (const rule of policy.rules) {
    if (rule.scheme !== scheme || (rule.port !== "*" && rule.port !== port)) continue;
    if (rule.host === url.hostname) return { allowed: true };
    const wildcard = rule.host === "*" || (rule.host.startsWith(".") && url.hostname.endsWith(rule.host));
    if (wildcard && host.public) return { allowed: true };
  }
  const what = host.public ? "" : ` (${host.reason}; only an origin listed exactly may be one)`;
  return {
    allowed: false,
    reason: `${url.origin} is not allowed by HTTP_TASK_ALLOWED_ORIGINS=${policy.source}${what}`,
  };
}
