// String vars and secrets, parsed once per isolate into a typed config. A missing or malformed
// setting does not crash the Worker: it becomes a `problems` entry, data routes answer 503 with
// it, /healthz reports 503, and the log says why.
import { LARGEST_MAX_BODY_BYTES } from "./core/entity/decide";
import { DEFAULT_ALLOWED_ORIGINS, type OriginPolicy, parseOriginPolicy } from "./core/net/origin-policy";
import { createSealer, type EnvelopeSealer } from "./crypto/envelope";
import { type KeyRing, parseKeyRing } from "./crypto/key-ring";

export interface Config {
  adminKey: string | undefined;
  /** ENCRYPTION_KEYS, parsed here and nowhere else; undefined when it is missing or malformed. */
  ring: KeyRing | undefined;
  sealer: EnvelopeSealer | undefined;
  maxBodyBytes: number;
  historyLimit: number;
  cacheTtlSeconds: number;
  corsOrigins: string[];
  maxSessionsPerSubject: number;
  logRequests: boolean;
  /** Retry-After of a 429: the rate-limit binding's window, which the binding itself does not expose. */
  rateLimitPeriodSeconds: 10 | 60;
  /** Which origins http:invoke tasks may call (HTTP_TASK_ALLOWED_ORIGINS). */
  httpTaskOrigins: OriginPolicy;
  /** How many http:invoke calls of one execution may be in flight at once. */
  httpTaskMaxConcurrency: number;
  /** Watchers one object carries (MAX_WATCHERS_PER_OBJECT); one more is refused with a 503. */
  maxWatchersPerObject: number;
  /** Human-readable reasons the deployment cannot serve data; empty when healthy. */
  problems: string[];
}

type RawEnv = Partial<Record<keyof Env, unknown>>;

const SETTINGS = [
  "ADMIN_KEY",
  "ENCRYPTION_KEYS",
  "MAX_BODY_BYTES",
  "HISTORY_LIMIT",
  "CACHE_TTL_SECONDS",
  "CORS_ORIGINS",
  "MAX_SESSIONS_PER_SUBJECT",
  "LOG_REQUESTS",
  "RATE_LIMIT_PERIOD",
  "HTTP_TASK_ALLOWED_ORIGINS",
  "HTTP_TASK_MAX_CONCURRENCY",
  "MAX_WATCHERS_PER_OBJECT",
] as const satisfies readonly (keyof Env)[];

const byValues = new Map<string, Config>();
const byEnv = new WeakMap<object, { values: unknown[]; config: Config }>();

/** Whether `env` still holds `values` (SETTINGS order): no array made on the hot path. */
function sameValues(env: RawEnv, values: unknown[]): boolean {
  for (let i = 0; i < SETTINGS.length; i++) if (env[SETTINGS[i]!] !== values[i]) return false;
  return true;
}

/**
 * Called several times per request, so the common case is a WeakMap hit on the isolate's env
 * object plus an identity check of each raw value (an env object can be changed in place, as tests
 * do to play a redeploy). Behind it, configs are keyed on the raw strings: tests and `wrangler dev`
 * may hand different env objects with the same values to one isolate.
 */
export function getConfig(env: RawEnv): Config {
  const hit = byEnv.get(env);
  if (hit && sameValues(env, hit.values)) return hit.config;
  const values = SETTINGS.map((name) => env[name]);
  const fingerprint = JSON.stringify(values);
  let config = byValues.get(fingerprint);
  if (!config) {
    config = parseConfig(env);
    byValues.set(fingerprint, config);
  }
  byEnv.set(env, { values, config });
  return config;
}

function parseConfig(env: RawEnv): Config {
  const problems: string[] = [];
  const int = (name: keyof Env, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return n;
  };

  const adminKey = typeof env.ADMIN_KEY === "string" && env.ADMIN_KEY !== "" ? env.ADMIN_KEY : undefined;
  if (!adminKey) problems.push("ADMIN_KEY is not set");
  else if (!/^esk_admin_[A-Za-z0-9_-]{43,}$/.test(adminKey)) {
    problems.push("ADMIN_KEY must look like esk_admin_<at least 43 random characters> (256 bits)");
  }

  const ring = parseKeyRing(typeof env.ENCRYPTION_KEYS === "string" ? env.ENCRYPTION_KEYS : undefined);
  if (!ring.ok) problems.push(ring.problem);

  const corsRaw = typeof env.CORS_ORIGINS === "string" ? env.CORS_ORIGINS : "";
  const origins = parseOriginPolicy(
    typeof env.HTTP_TASK_ALLOWED_ORIGINS === "string" ? env.HTTP_TASK_ALLOWED_ORIGINS : "",
  );
  if (!origins.ok) problems.push(origins.problem);
  return {
    adminKey: problems.some((p) => p.startsWith("ADMIN_KEY")) ? undefined : adminKey,
    ring: ring.ok ? ring.ring : undefined,
    sealer: ring.ok ? createSealer(ring.ring) : undefined,
    maxBodyBytes: int("MAX_BODY_BYTES", 262_144, 1_024, LARGEST_MAX_BODY_BYTES),
    historyLimit: int("HISTORY_LIMIT", 100, 1, 1_000),
    cacheTtlSeconds: int("CACHE_TTL_SECONDS", 300, 60, 86_400),
    corsOrigins: corsRaw
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    maxSessionsPerSubject: int("MAX_SESSIONS_PER_SUBJECT", 100, 1, 10_000),
    logRequests: env.LOG_REQUESTS !== "false",
    rateLimitPeriodSeconds: ratePeriod(env.RATE_LIMIT_PERIOD, problems),
    httpTaskOrigins: origins.ok ? origins.policy : NOTHING_ALLOWED,
    // Six: what one Workers invocation may have open at once; the platform queues the rest anyway.
    httpTaskMaxConcurrency: int("HTTP_TASK_MAX_CONCURRENCY", 6, 1, 100),
    // A hibernating object may hold 32,768 WebSockets; every one costs each write its fan-out.
    maxWatchersPerObject: int("MAX_WATCHERS_PER_OBJECT", 1_000, 1, 32_768),
    problems,
  };
}

/** A malformed allow-list allows nothing (and the deployment reports the problem), never everything. */
const NOTHING_ALLOWED: OriginPolicy = {
  source: `(malformed; the default is ${DEFAULT_ALLOWED_ORIGINS})`,
  rules: [],
};

/** The Workers rate-limiting binding only counts over 10 s or 60 s windows. */
function ratePeriod(raw: unknown, problems: string[]): 10 | 60 {
  if (raw === undefined || raw === "" || raw === "60") return 60;
  if (raw === "10") return 10;
  problems.push(
    `RATE_LIMIT_PERIOD must be 10 or 60 (the rate-limit binding's period), got ${JSON.stringify(raw)}`,
  );
  return 60;
}
