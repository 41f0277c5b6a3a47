import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { KEY_PREFIX } from "../../src/auth/key-format";
import { api, issueKey, json, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { TEST_ADMIN_KEY } from "../support/test-secrets";
import { expectProblem, fetchWith } from "./support";

/** The problems of the "misconfigured" log lines among console.error calls. */
function loggedProblems(calls: unknown[][]): string {
  return calls
    .map((c) => JSON.parse(String(c[0])) as { event?: string; problems?: string[] })
    .filter((line) => line.event === "misconfigured")
    .flatMap((line) => line.problems ?? [])
    .join("; ");
}

describe("misconfigured ENCRYPTION_KEYS", () => {
  const cases: [string, string | undefined, string][] = [
    ["missing", undefined, "ENCRYPTION_KEYS is not set"],
    ["empty", "", "ENCRYPTION_KEYS is not set"],
    ["not JSON", "garbage", "ENCRYPTION_KEYS is not valid JSON"],
    [
      "primary not in the ring",
      '{"primary":"k9","keys":{"k1":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}}',
      '"primary" names key "k9"',
    ],
    ["short key", '{"primary":"k1","keys":{"k1":"c2hvcnQ="}}', "it decodes to 5"],
    [
      // JSON.parse would keep the second material, and everything sealed under the first would
      // become unreadable without a word.
      "a key id given twice",
      '{"primary":"k1","keys":{"k1":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=","k1":"ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="}}',
      'names "k1" twice',
    ],
    [
      "placeholder key",
      '{"primary":"k1","keys":{"k1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}',
      "placeholder",
    ],
  ];

  for (const [name, value, says] of cases) {
    it(`${name}: data requests get a 503 problem saying what is wrong, /healthz is 503, the log says why`, async () => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const data = await fetchWith({ ENCRYPTION_KEYS: value }, "GET", "/v1/entities/doc/x");
        const body = await expectProblem(data, 503);
        expect(body.detail).toContain(says);
        // Never echoes key material.
        expect(body.detail).not.toContain("MDEyMzQ1");
        expect(loggedProblems(errors.mock.calls)).toContain(says);
        const write = await fetchWith({ ENCRYPTION_KEYS: value }, "PUT", "/v1/entities/doc/x", {
          body: "{}",
        });
        await expectProblem(write, 503);
        errors.mockClear();
        const health = await fetchWith({ ENCRYPTION_KEYS: value }, "GET", "/healthz", { key: null });
        expect(health.status).toBe(503);
        expect((await health.json<{ problems: string[] }>()).problems.join("; ")).toContain(says);
        expect(loggedProblems(errors.mock.calls)).toContain(says);
      } finally {
        errors.mockRestore();
      }
    });
  }

  describe("meanwhile", () => {
    const errorLog = captureErrorLog();

    it("nothing is written in plaintext", async () => {
      const id = unique();
      await fetchWith({ ENCRYPTION_KEYS: "garbage" }, "PUT", `/v1/entities/doc/${id}`, { body: '{"a":1}' });
      expect((await api("GET", `/v1/entities/doc/${id}`)).status).toBe(404);
      expect(errorLog.lines().map((l) => l.event)).toEqual(["misconfigured"]);
    });
  });
});

describe("security headers", () => {
  // One of the replies is a misconfigured deployment's 503, which logs why.
  captureErrorLog();

  const expectSecure = (res: Response) => {
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{8}/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  };

  it("are on every kind of reply: success, problem, 401, 404, 405, health, openapi", async () => {
    const path = `/v1/entities/doc/${unique()}`;
    const replies = [
      await api("PUT", path, { body: { a: 1 } }),
      await api("GET", path),
      await api("GET", `/v1/entities/doc/${unique()}`),
      await api("GET", path, { key: null }),
      await api("POST", path),
      await api("GET", "/nowhere"),
      await exports.default.fetch("https://x/healthz"),
      await exports.default.fetch("https://x/openapi.json"),
      await fetchWith({ ENCRYPTION_KEYS: "garbage" }, "GET", path),
    ];
    expect(replies.map((r) => r.status)).toEqual([201, 200, 404, 401, 405, 404, 200, 200, 503]);
    for (const res of replies) expectSecure(res);
  });
});

describe("CORS", () => {
  const preflight = (origin: string) => ({
    key: null,
    headers: { Origin: origin, "Access-Control-Request-Method": "PUT" },
  });

  it("is off by default: no Access-Control-* headers for any origin", async () => {
    const res = await api("OPTIONS", "/v1/entities/doc/x", preflight("https://evil.example"));
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const get = await api("GET", "/v1/entities/doc/x", { headers: { Origin: "https://evil.example" } });
    expect(get.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("allows only the origins in CORS_ORIGINS", async () => {
    const CORS_ORIGINS = "https://app.example, https://console.example";
    const ok = await fetchWith(
      { CORS_ORIGINS },
      "OPTIONS",
      "/v1/entities/doc/x",
      preflight("https://app.example"),
    );
    expect(ok.status).toBe(204);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
    expect(ok.headers.get("Access-Control-Allow-Headers")).toContain("Idempotency-Key");
    const evil = await fetchWith(
      { CORS_ORIGINS },
      "OPTIONS",
      "/v1/entities/doc/x",
      preflight("https://evil.example"),
    );
    expect(evil.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const get = await fetchWith({ CORS_ORIGINS }, "GET", "/v1/entities/doc/x", {
      headers: { Origin: "https://console.example" },
    });
    expect(get.headers.get("Access-Control-Allow-Origin")).toBe("https://console.example");
    expect(get.headers.get("Access-Control-Expose-Headers")).toContain("ETag");
  });
});

describe("API keys", () => {
  it("look like esk_<id>_<secret> with at least 256 bits of randomness", async () => {
    const keys = await Promise.all([1, 2, 3].map(() => issueKey(unique("k"))));
    for (const key of keys) {
      const m = /^esk_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/.exec(key);
      expect(m, key).not.toBeNull();
      expect(key.startsWith(KEY_PREFIX)).toBe(true);
      // 43 base64url characters = 258 bits, of which 256 come from 32 random bytes.
      expect(m![2]!.length * 6).toBeGreaterThanOrEqual(256);
    }
    expect(new Set(keys).size).toBe(3);
  });

  it("are never shown again or stored in clear: listings carry no secret", async () => {
    const tenant = unique("k");
    const key = await issueKey(tenant);
    const secret = key.split("_").slice(2).join("_");
    const list = await api("GET", "/v1/keys");
    expect(await list.text()).not.toContain(secret);
  });

  const wrongAdmin = [
    ["one character changed", `${TEST_ADMIN_KEY.slice(0, -1)}${TEST_ADMIN_KEY.endsWith("0") ? "1" : "0"}`],
    ["a prefix of the key", TEST_ADMIN_KEY.slice(0, -1)],
    ["the key plus a character", `${TEST_ADMIN_KEY}0`],
    ["just the prefix", "esk_admin_"],
    ["another random admin-looking key", `esk_admin_${"a".repeat(64)}`],
  ] as const;
  for (const [name, key] of wrongAdmin) {
    it(`refuses a wrong admin key (${name}) with 401 and WWW-Authenticate`, async () => {
      const res = await api("GET", "/v1/keys", { key });
      await expectProblem(res, 401);
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    });
  }

  it("the right admin key works", async () => {
    expect((await api("GET", "/v1/keys")).status).toBe(200);
  });

  it("a revoked key is refused on the very next request", async () => {
    const tenant = unique("k");
    const create = await api("POST", "/v1/keys", { body: { tenant, scopes: ["read"] } });
    const { id, key } = await json<{ id: string; key: string }>(create);
    expect((await api("GET", `/v1/entities/doc/${unique()}`, { key })).status).toBe(404);
    expect((await api("DELETE", `/v1/keys/${id}`)).status).toBe(204);
    await expectProblem(await api("GET", `/v1/entities/doc/${unique()}`, { key }), 401);
  });
});
