// The SigV4 verifier against the signer the AWS SDKs use (@smithy/signature-v4): every request it
// signs verifies, and every change to it (body, secret, date, an unsigned steering header) is refused
// with AWS's error name.
import { Sha256Js } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { parseAmzDate, parseAuthorization, type SignatureClaims } from "../../src/aws/sigv4/authorization";
import type { ArrivedRequest } from "../../src/aws/sigv4/canonical";
import { signingKey } from "../../src/aws/sigv4/signing-key";
import { checkFreshness, verifySignature } from "../../src/aws/sigv4/verify";
import { hashHex } from "../../src/crypto/hashes";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const KEY_ID = "0123456789abcdef01234567";
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

interface Signable {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

async function sign(request: Signable, options: { secret?: string; at?: number; region?: string } = {}) {
  const signer = new SignatureV4({
    service: "states",
    region: options.region ?? "us-east-1",
    credentials: { accessKeyId: KEY_ID, secretAccessKey: options.secret ?? SECRET },
    sha256: Sha256Js,
  });
  const body = request.body ?? '{"stateMachineArn":"arn:aws:states:us-east-1:acme:stateMachine:m"}';
  const signed = await signer.sign(
    {
      method: request.method ?? "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 18300,
      path: request.path ?? "/aws/states/",
      query: request.query ?? {},
      headers: {
        host: "127.0.0.1:18300",
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.DescribeStateMachine",
        ...request.headers,
      },
      body,
    },
    { signingDate: new Date(options.at ?? NOW) },
  );
  const headers = new Headers(signed.headers as Record<string, string>);
  const search = new URLSearchParams(signed.query as Record<string, string>)
    .toString()
    .replaceAll("+", "%20");
  const arrived: ArrivedRequest = {
    method: signed.method,
    path: signed.path,
    search: search ? `?${search}` : "",
    header: (name) => headers.get(name),
  };
  return { arrived, headers, body: new TextEncoder().encode(body) };
}

function claimsOf(headers: Headers): SignatureClaims {
  const parsed = parseAuthorization(
    headers.get("authorization") ?? undefined,
    headers.get("x-amz-date") ?? undefined,
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

async function verdict(
  signed: Awaited<ReturnType<typeof sign>>,
  secret = SECRET,
  body = signed.body,
): Promise<string> {
  const claims = claimsOf(signed.headers);
  const key = signingKey(secret, claims.scopeDate, claims.region, claims.service);
  const result = verifySignature(signed.arrived, body, claims, key, signed.headers.keys());
  return result.ok ? "ok" : result.error.name;
}

describe("SigV4 signing key", () => {
  it("derives AWS's documented example key (20150830/us-east-1/iam)", () => {
    const key = signingKey(SECRET, "20150830", "us-east-1", "iam");
    const hex = Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
    expect(hex).toBe("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  });
});

describe("SigV4 verification against @smithy/signature-v4", () => {
  it("accepts what the SDK's signer signs, with and without a trailing slash and a query", async () => {
    expect(await verdict(await sign({}))).toBe("ok");
    expect(await verdict(await sign({ path: "/aws/states" }))).toBe("ok");
    expect(await verdict(await sign({ query: { b: "x y", a: "1/2", "a~": "é" } }))).toBe("ok");
    expect(await verdict(await sign({ headers: { "x-amz-user-agent": "aws-sdk-js/3   md/x  " } }))).toBe(
      "ok",
    );
    expect(await verdict(await sign({ body: "" }))).toBe("ok");
    expect(await verdict(await sign({}, { region: "eu-west-3" }))).toBe("ok");
  });

  it("refuses a tampered body", async () => {
    const signed = await sign({});
    const tampered = new TextEncoder().encode(
      '{"stateMachineArn":"arn:aws:states:us-east-1:acme:stateMachine:n"}',
    );
    expect(await verdict(signed, SECRET, tampered)).toBe("InvalidSignatureException");
  });

  it("refuses a tampered body whose declared x-amz-content-sha256 still names the signed one", async () => {
    const original = '{"stateMachineArn":"arn:aws:states:us-east-1:acme:stateMachine:m"}';
    const signed = await sign({ headers: { "x-amz-content-sha256": hashHex("SHA-256", original) } });
    const claims = claimsOf(signed.headers);
    const key = signingKey(SECRET, claims.scopeDate, claims.region, claims.service);
    const result = verifySignature(
      signed.arrived,
      new TextEncoder().encode("{}"),
      claims,
      key,
      signed.headers.keys(),
    );
    expect(result.ok ? "ok" : result.error.message).toMatch(/x-amz-content-sha256/);
  });

  it("refuses the wrong secret", async () => {
    expect(await verdict(await sign({}), "another secret")).toBe("InvalidSignatureException");
  });

  it("refuses a changed header that was signed", async () => {
    const signed = await sign({});
    signed.headers.set("x-amz-target", "AWSStepFunctions.DeleteStateMachine");
    expect(await verdict(signed)).toBe("InvalidSignatureException");
  });

  it("refuses an x-amz-* header that was not signed", async () => {
    const signed = await sign({});
    signed.headers.set("x-amz-extra", "1");
    expect(await verdict(signed)).toBe("IncompleteSignatureException");
  });

  it("refuses a signature more than 15 minutes old or ahead, and takes 14 minutes", async () => {
    const fresh = (at: number) => checkFreshness(claimsOf(sign_(at)), NOW);
    const sign_ = (at: number) => {
      const date = new Date(at)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
      return new Headers({
        authorization: `AWS4-HMAC-SHA256 Credential=${KEY_ID}/${date.slice(0, 8)}/us-east-1/states/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
        "x-amz-date": date,
      });
    };
    expect(fresh(NOW - 14 * 60_000).ok).toBe(true);
    expect(fresh(NOW + 14 * 60_000).ok).toBe(true);
    const old = fresh(NOW - 16 * 60_000);
    expect(old.ok ? "" : `${old.error.name}: ${old.error.message}`).toBe(
      "InvalidSignatureException: Signature expired: 20261201T114400Z is now earlier than 20261201T114500Z (20261201T120000Z - 15 min.)",
    );
    const ahead = fresh(NOW + 16 * 60_000);
    expect(ahead.ok ? "" : ahead.error.message).toMatch(/^Signature not yet current/);
  });
});

describe("SigV4 Authorization header", () => {
  const parse = (header: string | undefined, date: string | null = "20261201T120000Z") => {
    const r = parseAuthorization(header, date ?? undefined);
    return r.ok ? "ok" : `${r.error.name}: ${r.error.message}`;
  };
  const good = `AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261201/us-east-1/states/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"a".repeat(64)}`;

  it("reads a well-formed header", () => expect(parse(good)).toBe("ok"));

  it("names each malformation as AWS does", () => {
    expect(parse(undefined)).toMatch(/^MissingAuthenticationTokenException/);
    expect(parse("Bearer esk_x")).toMatch(/^IncompleteSignatureException: Unsupported authorization type/);
    expect(parse(good.replace(/, Signature=.*/, ""))).toMatch(/requires 'Signature'/);
    expect(parse(good.replace("/states/", "/lambda/"))).toMatch(/^InvalidSignatureException: .*'states'/);
    expect(parse(good.replace("aws4_request", "aws5_request"))).toMatch(/terminator/);
    expect(parse(good.replace("host;", "x-amz-target;"))).toMatch(/must include 'host'/);
    expect(parse(good, null)).toMatch(/X-Amz-Date/);
    expect(parse(good, "20261202T120000Z")).toMatch(/^InvalidSignatureException: Date in Credential scope/);
    expect(parse(good, "2026-12-01T12:00:00Z")).toMatch(/basic format/);
    expect(parse(good.replace("Signature=a", "Signature=A"))).toMatch(/hexadecimal/);
  });

  it("reads only real dates", () => {
    expect(parseAmzDate("20261201T120000Z")).toBe(NOW);
    expect(parseAmzDate("20260231T120000Z")).toBeNull();
    expect(parseAmzDate("20261201T250000Z")).toBeNull();
  });
});
