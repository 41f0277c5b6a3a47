// The number rule for JSON that enters edgestate. Every number is kept as an IEEE 754 double (as
// in JavaScript and Step Functions), so a number is accepted only when the double reads back as
// the number that was sent, up to the rounding every decimal fraction gets (0.1 stays 0.1).
// Refused, because the stored value would silently differ from the one sent:
//  - magnitudes beyond the largest double (1e400 would become null),
//  - non-zero numbers so small they would become 0 (1e-400),
//  - -0, which a double holds but JSON text cannot carry back out (it is written as 0),
//  - numbers from 2^53 on that would not read back as written: past 2^53 a double no longer holds
//    every integer, so 9007199254740993 would become …992 and 12345678901234567890 would become
//    12345678901234567000. Identifiers that large belong in strings.

/** 2^53: from here on, consecutive integers are no longer all representable. */
const EXACT_INTEGERS = 2 ** 53;

/** Why `token` (a JSON number, as written) cannot be stored as sent; undefined when it can. */
export function numberProblem(token: string): string | undefined {
  const value = Number(token);
  if (!Number.isFinite(value)) {
    return `${token} is too large for a 64-bit float (beyond ±1.7976931348623157e308)`;
  }
  if (value === 0) {
    if (/[1-9]/.test(mantissa(token)))
      return `${token} is too small for a 64-bit float: it would be stored as 0`;
    if (token.startsWith("-")) return `${token} would be stored as 0 (JSON cannot carry -0 back out); send 0`;
    return undefined;
  }
  if (Math.abs(value) < EXACT_INTEGERS || sameDecimal(token, String(value))) return undefined;
  return `${token} cannot be held exactly by a 64-bit float: it would be stored as ${String(value)}; send it as a string`;
}

const mantissa = (token: string): string => token.split(/[eE]/)[0]!;

/** Compares two decimal spellings by value: "1e+300" and "1000e297" are the same number. */
function sameDecimal(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/** `[-]<digits without leading or trailing zeros>e<exponent>` for a JSON or JS number spelling. */
function canonical(spelling: string): string {
  const negative = spelling.startsWith("-");
  const unsigned = negative ? spelling.slice(1) : spelling;
  const [m, e] = unsigned.split(/[eE]/) as [string, string | undefined];
  const dot = m.indexOf(".");
  let digits = dot < 0 ? m : m.slice(0, dot) + m.slice(dot + 1);
  let exponent = (e === undefined ? 0 : Number(e)) - (dot < 0 ? 0 : m.length - dot - 1);
  digits = digits.replace(/^0+/, "");
  const trailing = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${negative ? "-" : ""}${digits}e${exponent}`;
}
