import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deploymentPseudonym } from "../../src/executions/self-call";
import { setObjectSecret } from "../security/support";
import { api, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { expectProblem } from "../support/problem";
import { mockFetch, oneTask, putMachine, start } from "./support";

// http:invoke's outbound policy (issue 11 #1): HTTP_TASK_ALLOWED_ORIGINS, every non-public address
// refused whatever its spelling, redirects checked hop by hop, no calls to this deployment, and a
// cap on one execution's calls in flight.

afterEach(() => vi.restoreAllMocks());

const REFUSED = "Edgestate.DestinationNotAllowed";

async function call(url: string, extra: Record<string, unknown> = {}) {
  const machine = unique("out");
  await putMachine(machine, oneTask("http:invoke", {}, { ApiEndpoint: url, Method: "GET", ...extra }));
  return (await start(machine, {}, "?wait=10")).body;
}

async function withOrigins<T>(value: string, body: () => Promise<T>): Promise<T> {
  const previous = await setObjectSecret("HTTP_TASK_ALLOWED_ORIGINS", value);
  try {
    return await body();
  } finally {
    await setObjectSecret("HTTP_TASK_ALLOWED_ORIGINS", previous);
  }
}

describe("by default (HTTP_TASK_ALLOWED_ORIGINS empty): public hosts over HTTPS only", () => {
  it.each([
    ["loopback", "https://127.0.0.1:8787/v1/keys"],
    ["loopback over http", "http://127.0.0.1:8787/"],
    ["loopback as a decimal number", "https://2130706433/"],
    ["loopback in octal", "https://0177.0.0.1/"],
    ["loopback in hex", "https://0x7f.0.0.1/"],
    ["loopback, short form", "https://127.1/"],
    ["loopback, percent-encoded", "https://%31%32%37.0.0.1/"],
    ["loopback, full-width digits", "https://１２７.０.０.１/"],
    ["the unspecified address", "https://0.0.0.0/"],
    ["localhost", "https://localhost/"],
    ["LOCALHOST. with a trailing dot", "https://LOCALHOST./"],
    ["a subdomain of localhost", "https://api.localhost/"],
    ["a single-label name", "https://metadata/"],
    ["an mDNS name", "https://printer.local/"],
    ["a .internal name", "https://db.corp.internal/"],
    ["cloud metadata", "https://169.254.169.254/latest/meta-data/"],
    ["a private 10/8 address", "https://10.1.2.3/"],
    ["a private 172.16/12 address", "https://172.31.255.255/"],
    ["a private 192.168/16 address", "https://192.168.0.1/"],
    ["a carrier-grade NAT address", "https://100.64.0.1/"],
    ["IPv6 loopback", "https://[::1]/"],
    ["IPv6 unspecified", "https://[::]/"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/"],
    ["IPv4-mapped, hex", "https://[::ffff:7f00:1]/"],
    ["NAT64 loopback", "https://[64:ff9b::127.0.0.1]/"],
    ["IPv6 link-local", "https://[fe80::1]/"],
    ["IPv6 unique-local", "https://[fd12:3456::1]/"],
    ["6to4 of a private address", "https://[2002:c0a8:1::1]/"],
    ["a public host over plain http", "http://api.example.com/"],
  ])("refuses %s (%s) with %s, and never calls it", async (_what, url) => {
    const calls = mockFetch(() => new Response("reached"));
    const ended = await call(url);
    expect(ended).toMatchObject({ status: "FAILED", error: REFUSED });
    expect(ended.cause).toContain("HTTP_TASK_ALLOWED_ORIGINS");
    expect(calls).toEqual([]);
  });

  it("calls a public host over HTTPS, on any port", async () => {
    const calls = mockFetch(() => Response.json({ ok: true }));
    expect(await call("https://api.example.com:8443/x")).toMatchObject({ status: "SUCCEEDED" });
    expect(await call("https://[2606:4700::1111]/x")).toMatchObject({ status: "SUCCEEDED" });
    expect(calls.map((c) => c.url)).toEqual([
      "https://api.example.com:8443/x",
      "https://[2606:4700::1111]/x",
    ]);
  });

  it("a refusal can be caught like any task error", async () => {
    mockFetch(() => new Response("reached"));
    const machine = unique("out");
    await putMachine(machine, {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "http:invoke",
          Parameters: { ApiEndpoint: "https://localhost/", Method: "GET" },
          Catch: [{ ErrorEquals: [REFUSED], ResultPath: "$.refused", Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Pass", End: true },
      },
    });
    const ended = (await start(machine, {}, "?wait=10")).body;
    expect(ended).toMatchObject({ status: "SUCCEEDED", output: { refused: { Error: REFUSED } } });
  });
});

describe("HTTP_TASK_ALLOWED_ORIGINS", () => {
  const errorLog = captureErrorLog();

  it("an origin listed exactly may be local: the way to reach a service in development", async () => {
    const calls = mockFetch(() => Response.json({ ok: true }));
    await withOrigins("https://*:*, http://127.0.0.1:8899", async () => {
      expect(await call("http://127.0.0.1:8899/hook")).toMatchObject({ status: "SUCCEEDED" });
      // The same origin spelled another way is the same origin.
      expect(await call("http://2130706433:8899/hook")).toMatchObject({ status: "SUCCEEDED" });
      expect(await call("https://api.example.com/x")).toMatchObject({ status: "SUCCEEDED" });
      for (const url of ["http://127.0.0.1:8898/", "https://127.0.0.1:8899/", "http://localhost:8899/"]) {
        expect(await call(url), url).toMatchObject({ status: "FAILED", error: REFUSED });
      }
    });
    expect(calls.map((c) => c.url)).toEqual([
      "http://127.0.0.1:8899/hook",
      "http://127.0.0.1:8899/hook",
      "https://api.example.com/x",
    ]);
  });

  it("a subdomain pattern allows only public subdomains of it, on the default port", async () => {
    const calls = mockFetch(() => Response.json({ ok: true }));
    await withOrigins("https://*.example.com", async () => {
      expect(await call("https://api.example.com/x")).toMatchObject({ status: "SUCCEEDED" });
      for (const url of [
        "https://example.com/",
        "https://api.example.org/",
        "https://api.example.com:8443/",
      ]) {
        expect(await call(url), url).toMatchObject({ status: "FAILED", error: REFUSED });
      }
    });
    expect(calls).toHaveLength(1);
  });

  it("a malformed list is a startup problem: the deployment says so and calls nothing", async () => {
    const calls = mockFetch(() => Response.json({ ok: true }));
    await withOrigins("https://*:*, ftp://files", async () => {
      const problem = await expectProblem(await api("GET", "/v1/keys"), 503);
      expect(problem.detail).toContain('HTTP_TASK_ALLOWED_ORIGINS has "ftp://files"');
      expect(errorLog.lines()).toEqual([
        expect.objectContaining({ event: "misconfigured", requestId: problem.instance }),
      ]);
    });
    expect(calls).toEqual([]);
  });
});

describe("redirects", () => {
  it("are followed only to allowed targets: a public host redirecting to metadata is refused", async () => {
    const calls = mockFetch(() =>
      Response.redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/", 302),
    );
    const ended = await call("https://api.example.com/start");
    expect(ended).toMatchObject({ status: "FAILED", error: REFUSED });
    expect(ended.cause).toContain("reached by redirect from https://api.example.com");
    expect(calls.map((c) => c.url)).toEqual(["https://api.example.com/start"]);
  });

  it("are followed hop by hop, with 303 turning a POST into a GET without its body", async () => {
    const calls = mockFetch((c) => {
      if (c.url.endsWith("/a")) return new Response(null, { status: 307, headers: { Location: "/b" } });
      if (c.url.endsWith("/b"))
        return new Response(null, { status: 303, headers: { Location: "https://cdn.example.net/c" } });
      return Response.json({ at: c.url });
    });
    const ended = await call("https://api.example.com/a", {
      Method: "POST",
      RequestBody: { order: 1 },
      Headers: { Authorization: "Bearer secret" },
    });
    expect(ended).toMatchObject({
      status: "SUCCEEDED",
      output: { ResponseBody: { at: "https://cdn.example.net/c" } },
    });
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "https://api.example.com/a", '{"order":1}'],
      ["POST", "https://api.example.com/b", '{"order":1}'],
      ["GET", "https://cdn.example.net/c", null],
    ]);
    // Credentials stay with their origin; the idempotency key stays with the call.
    expect(calls[1]!.headers.get("Authorization")).toBe("Bearer secret");
    expect(calls[2]!.headers.get("Authorization")).toBeNull();
    expect(new Set(calls.map((c) => c.headers.get("Idempotency-Key"))).size).toBe(1);
  });

  it("more than five hops fail the task with Edgestate.TooManyRedirects", async () => {
    const calls = mockFetch((c) => Response.redirect(`${c.url}x`, 302));
    expect(await call("https://api.example.com/")).toMatchObject({
      status: "FAILED",
      error: "Edgestate.TooManyRedirects",
    });
    expect(calls).toHaveLength(6);
  });
});

describe("this deployment is never a destination", () => {
  it("a request whose Via names this deployment is refused with 508 before anything runs", async () => {
    const via = `1.1 proxy.example, 1.1 ${await deploymentPseudonym({ ADMIN_KEY: (await import("../support/test-secrets")).TEST_ADMIN_KEY })}`;
    const res = await api("GET", "/v1/keys", { headers: { Via: via } });
    await expectProblem(res, 508);
    // Another deployment's tasks (another pseudonym) are ordinary callers.
    expect((await api("GET", "/v1/keys", { headers: { Via: "1.1 edgestate-000000000000" } })).status).toBe(
      200,
    );
  });

  it("a task whose endpoint turns out to be this Worker fails with Edgestate.DestinationNotAllowed", async () => {
    // A public name that routes to this deployment: the Worker cannot know all its names, so the
    // call goes out, carries Via, and this deployment refuses it.
    const calls = mockFetch((c) =>
      exports.default.fetch(
        new Request(c.url.replace("self.example.com", "edgestate.test"), { headers: c.headers }),
      ),
    );
    const ended = await call("https://self.example.com/v1/keys");
    expect(ended).toMatchObject({ status: "FAILED", error: REFUSED });
    expect(ended.cause).toContain("this edgestate deployment");
    expect(calls).toHaveLength(1);
  });
});

describe("calls in flight per execution", () => {
  it("a Map over 20 items has at most HTTP_TASK_MAX_CONCURRENCY calls out at once; all complete", async () => {
    const previous = await setObjectSecret("HTTP_TASK_MAX_CONCURRENCY", "3");
    try {
      let inFlight = 0;
      let most = 0;
      // Each reply takes a moment (a timer inside the object, where the call runs), so calls that
      // are allowed to overlap do: without the cap all 20 would be out at once.
      const calls = mockFetch(async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return Response.json({ ok: true });
      });
      const machine = unique("fan");
      await putMachine(machine, {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: {
              StartAt: "Call",
              States: {
                Call: {
                  Type: "Task",
                  Resource: "http:invoke",
                  Parameters: { ApiEndpoint: "https://api.example.com/item", Method: "GET" },
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      });
      const items = Array.from({ length: 20 }, (_, i) => i);
      const ended = await start(machine, { input: { items } }, "?wait=20");
      expect(ended.body.status).toBe("SUCCEEDED");
      expect(calls).toHaveLength(20);
      expect(most).toBe(3);
    } finally {
      await setObjectSecret("HTTP_TASK_MAX_CONCURRENCY", previous);
    }
  });
});
