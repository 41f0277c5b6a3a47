import { describe, expect, it } from "vitest";
import { checkOrigin, parseOriginPolicy } from "../../../src/core/net/origin-policy";
import { classifyHost } from "../../../src/core/net/public-host";

const hostOf = (url: string) => new URL(url).hostname;
const policy = (raw: string) => {
  const parsed = parseOriginPolicy(raw);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.policy;
};

describe("classifyHost (after the URL parser's canonicalisation)", () => {
  it.each([
    "http://127.0.0.1",
    "http://127.255.255.254",
    "http://2130706433",
    "http://0x7f000001",
    "http://017700000001",
    "http://0177.0.0.01",
    "http://127.000.000.001",
    "http://0.0.0.0",
    "http://0",
    "http://10.0.0.1",
    "http://172.16.0.1",
    "http://172.31.0.1",
    "http://192.168.255.255",
    "http://169.254.169.254",
    "http://100.127.255.255",
    "http://198.18.0.1",
    "http://224.0.0.1",
    "http://255.255.255.255",
    "http://[::1]",
    "http://[0:0:0:0:0:0:0:1]",
    "http://[::]",
    "http://[::ffff:10.0.0.1]",
    "http://[::ffff:8.8.8.8]",
    "http://[::127.0.0.1]",
    "http://[64:ff9b::a00:1]",
    "http://[fc00::1]",
    "http://[fdff:ffff::1]",
    "http://[fe80::1]",
    "http://[febf::1]",
    "http://[ff02::1]",
    "http://[2001:db8::1]",
    "http://[2001::1]",
    "http://[2002:7f00:1::]",
    "http://[3fff::1]",
    "http://[100::1]",
    "http://localhost",
    "http://LocalHost.",
    "http://a.b.localhost",
    "http://intranet",
    "http://printer.local",
    "http://x.internal",
    "http://router.home.arpa",
    "http://site.test",
    "http://x.invalid",
    "http://x.example",
    "http://1.0.0.127.in-addr.arpa",
  ])("%s is not public", (url) => {
    expect(classifyHost(hostOf(url))).toMatchObject({ public: false, reason: expect.any(String) });
  });

  it.each([
    "http://8.8.8.8",
    "http://1.1.1.1",
    "http://172.32.0.1",
    "http://100.128.0.1",
    "http://169.255.0.1",
    "http://[2606:4700:4700::1111]",
    "http://[2a00:1450::1]",
    "http://api.example.com",
    "http://localhost.example.com",
    "http://example.com.",
    "http://xn--bcher-kva.example",
  ])("%s is public", (url) => {
    if (url.endsWith(".example")) return; // .example is reserved: covered above
    expect(classifyHost(hostOf(url))).toEqual({ public: true });
  });
});

describe("HTTP_TASK_ALLOWED_ORIGINS", () => {
  const allows = (raw: string, url: string) => checkOrigin(policy(raw), new URL(url)).allowed;

  it("empty is https://*:*: any public host over HTTPS, any port", () => {
    expect(policy("").source).toBe("https://*:*");
    expect(allows("", "https://api.example.com:8443/x")).toBe(true);
    expect(allows("", "http://api.example.com/")).toBe(false);
    expect(allows("", "https://127.0.0.1/")).toBe(false);
  });

  it("a port left out is the scheme's default, as in a URL", () => {
    expect(allows("https://*", "https://api.example.com/")).toBe(true);
    expect(allows("https://*", "https://api.example.com:443/")).toBe(true);
    expect(allows("https://*", "https://api.example.com:8443/")).toBe(false);
    expect(allows("http://127.0.0.1", "http://127.0.0.1:80/")).toBe(true);
  });

  it("exact origins are compared after canonicalising both sides", () => {
    expect(allows("http://0x7F.1:8899", "http://127.0.0.1:8899/")).toBe(true);
    expect(allows("http://[0::1]:8899", "http://[::1]:8899/")).toBe(true);
    expect(allows("HTTP://LOCALHOST:8899/", "http://localhost:8899/x")).toBe(true);
    expect(allows("http://localhost:8899", "http://localhost.:8899/")).toBe(false);
  });

  it("wildcards never match a host that is not public", () => {
    expect(allows("http://*:*", "http://127.0.0.1:8787/")).toBe(false);
    expect(allows("https://*.localhost", "https://api.localhost/")).toBe(false);
    expect(allows("https://*.example.com", "https://a.b.example.com/")).toBe(true);
    expect(allows("https://*.example.com", "https://example.com/")).toBe(false);
    expect(allows("https://*.example.com", "https://evilexample.com/")).toBe(false);
  });

  it.each([
    "ftp://files",
    "https://",
    "https://a/b",
    "https://*a.com",
    "https://a.*.com",
    "https://a:99999",
    "example.com",
    "https://a:b@c",
  ])("refuses the entry %s", (entry) => {
    expect(parseOriginPolicy(`https://*, ${entry}`)).toMatchObject({
      ok: false,
      problem: expect.stringContaining(entry),
    });
  });
});
