// The contract checker itself: each kind of drift between a reply and /openapi.json is caught.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { checkExchange, type Exchange } from "../support/contract/check";
import { type ContractDocument, loadContract } from "../support/contract/document";
import { settle } from "../support/contract/settle";

let contract: ContractDocument;
beforeAll(async () => {
  contract = await loadContract((url) => exports.default.fetch(url));
});

const REQUEST_ID = "6f1c1b6e-3a7b-4a8e-9a43-2a7d6b0a9d11";
const entityReply = (over: Partial<Exchange> = {}): Exchange => ({
  method: "GET",
  url: "https://edgestate.test/v1/entities/doc/a",
  requestHeaders: new Headers(),
  requestBody: false,
  status: 200,
  headers: new Headers({
    "Content-Type": "application/json",
    "Request-Id": REQUEST_ID,
    ETag: '"3"',
    "Edgestate-Version": "3",
    "Last-Modified": "Tue, 01 Dec 2026 21:43:20 GMT",
    "Edgestate-Cache": "bypass",
  }),
  body: '{"a":1}',
  ...over,
});
const violations = (exchange: Exchange) => checkExchange(contract, exchange, true).violations;
const withHeaders = (change: (h: Headers) => void) => {
  const headers = new Headers(entityReply().headers);
  change(headers);
  return entityReply({ headers });
};

describe("the contract checker", () => {
  it("accepts a reply the document describes", () => {
    expect(violations(entityReply())).toEqual([]);
  });

  it("catches an undeclared status", () => {
    expect(violations(entityReply({ status: 418 }))).toEqual(["status 418 is not declared"]);
  });

  it("catches an undeclared header, a missing required one and a malformed one", () => {
    expect(violations(withHeaders((h) => h.set("X-Debug", "1")))).toEqual([
      "header x-debug is sent but not declared",
    ]);
    expect(violations(withHeaders((h) => h.delete("ETag")))).toEqual(["required header etag is missing"]);
    expect(violations(withHeaders((h) => h.set("Edgestate-Version", "three")))[0]).toMatch(
      /^header edgestate-version: /,
    );
  });

  it("catches a body in an undeclared media type, or one its schema refuses", () => {
    expect(violations(withHeaders((h) => h.set("Content-Type", "text/plain")))[0]).toMatch(
      /^Content-Type text\/plain is not one of/,
    );
    const problem = entityReply({
      status: 404,
      headers: new Headers({ "Content-Type": "application/problem+json", "Request-Id": REQUEST_ID }),
      body: JSON.stringify({ type: "x", title: "t", status: 404, detail: "d", instance: "i", extra: 1 }),
    });
    expect(violations(problem)[0]).toMatch(/^body: /);
  });

  it("catches a request using an undeclared query parameter or header", () => {
    expect(violations(entityReply({ url: "https://edgestate.test/v1/entities/doc/a?fields=a" }))).toEqual([
      "query parameter fields is not declared",
    ]);
    const keyed = entityReply({ requestHeaders: new Headers({ "If-Match": '"3"' }) });
    expect(violations(keyed)).toEqual(["request header if-match is not declared"]);
  });

  it("holds a path or method outside the document to the document-wide 404 and 405", () => {
    expect(violations(entityReply({ url: "https://edgestate.test/v2/x" }))).toContain(
      "no operation, so 404 expected",
    );
    expect(violations(entityReply({ method: "POST" }))).toContain("no operation, so 405 expected");
  });

  it("holds a watch's stream to its status and headers without waiting for it to end", async () => {
    // A stream that never ends, as a live watch's: settle() must not read it.
    const endless = () => new ReadableStream({ pull: () => new Promise(() => {}) });
    const request = new Request("https://edgestate.test/v1/entities/doc/a/watch", {
      headers: { Accept: "text/event-stream" },
    });
    const headers = {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Request-Id": REQUEST_ID,
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    };
    const ok = await settle(request, new Response(endless(), { headers }));
    expect(ok.violations).toEqual([]);
    const { "X-Accel-Buffering": _, ...unbuffered } = headers;
    expect((await settle(request, new Response(endless(), { headers: unbuffered }))).violations).toEqual([
      "required header x-accel-buffering is missing",
    ]);
    const wrongStatus = new Response(endless(), { status: 202, headers });
    expect((await settle(request, wrongStatus)).violations).toEqual(["status 202 is not declared"]);
  });
});
