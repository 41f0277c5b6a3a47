// Whether a URL's host is on the public internet. It takes `URL.hostname`, which the WHATWG URL
// parser has already canonicalised: every IPv4 spelling (2130706433, 0177.0.0.1, 0x7f.1, 127.1,
// %31%32%37.0.0.1, full-width digits) arrives as dotted decimal, IPv6 as its compressed lower-case
// form in brackets, names lower-cased and in punycode. So each rule below sees one spelling only.

export type HostVerdict = { public: true } | { public: false; reason: string };

const PUBLIC: HostVerdict = { public: true };
const refuse = (reason: string): HostVerdict => ({ public: false, reason });

/** IPv4 ranges that are not globally reachable (IANA special-purpose registry, RFC 6890). */
const IPV4_RANGES: [base: string, bits: number, what: string][] = [
  ["0.0.0.0", 8, "an unspecified (this-network) address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address (cloud metadata lives here)"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["192.88.99.0", 24, "a 6to4 relay address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];

/** Names that never resolve on the public internet (RFC 6761, 6762, 7686, 8375, 9476; .internal). */
const LOCAL_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "home.arpa",
  "test",
  "invalid",
  "example",
  "onion",
  "alt",
  "arpa",
];

export function classifyHost(hostname: string): HostVerdict {
  if (hostname.startsWith("[")) return classifyIpv6(hostname.slice(1, -1));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname)) return classifyIpv4(ipv4ToInt(hostname));
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  if (!name.includes("."))
    return refuse(`a single-label name (${name}), which resolves only on a local network`);
  const suffix = LOCAL_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  return suffix ? refuse(`a name under .${suffix}, which is never public`) : PUBLIC;
}

const ipv4ToInt = (dotted: string): number =>
  dotted.split(".").reduce((n, part) => n * 256 + Number(part), 0);

function classifyIpv4(address: number): HostVerdict {
  for (const [base, bits, what] of IPV4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = ipv4ToInt(base);
    if (address >= start && address < start + size) return refuse(what);
  }
  return PUBLIC;
}

/**
 * Only global unicast (2000::/3) is public, less its documentation, 6to4, Teredo and IETF blocks.
 * Loopback, unspecified, unique-local, link-local, multicast, and IPv6 forms of IPv4 addresses
 * (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::, compatible ::a.b.c.d) all fall outside it.
 */
function classifyIpv6(text: string): HostVerdict {
  const groups = ipv6Groups(text);
  if (!groups) return refuse("an IPv6 address that cannot be read");
  const [a, b] = groups as [number, number];
  if (groups.every((g) => g === 0)) return refuse("an unspecified address");
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return refuse("a loopback address");
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) {
    return refuse("an IPv6 form of an IPv4 address (use the IPv4 address)");
  }
  if (a === 0x64 && b === 0xff9b) return refuse("a NAT64 form of an IPv4 address (use the IPv4 address)");
  if ((a & 0xfe00) === 0xfc00) return refuse("a unique-local (private) address");
  if ((a & 0xffc0) === 0xfe80) return refuse("a link-local address");
  if ((a & 0xff00) === 0xff00) return refuse("a multicast address");
  if ((a & 0xe000) !== 0x2000) return refuse("an address outside global unicast");
  if (a === 0x2001 && b < 0x200) return refuse("an IETF protocol address (Teredo, benchmarking, ORCHID)");
  if (a === 0x2001 && b === 0xdb8) return refuse("a documentation address");
  if (a === 0x2002) return refuse("a 6to4 address, which embeds an IPv4 address");
  if (a === 0x3fff && b < 0x1000) return refuse("a documentation address");
  return PUBLIC;
}

/**
 * The eight 16-bit groups of an IPv6 address with "::" expanded, or null. The URL parser never
 * writes an IPv4 tail ("::ffff:1.2.3.4" arrives as "::ffff:102:304"), so none is read here.
 */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const read = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = read(halves[0]!);
  const rest = halves.length === 2 ? read(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  return groups.every((g) => !Number.isNaN(g)) ? groups : null;
}
