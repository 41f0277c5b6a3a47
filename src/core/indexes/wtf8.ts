// Strings as bytes, losslessly. JSON can carry lone surrogates ("\ud800" is a valid escape), which
// TextEncoder would replace with U+FFFD, making "\ud800" and "\ufffd" one value in an index.
// WTF-8 encodes every code point, lone surrogates included, the way UTF-8 does; for well-formed
// strings it is UTF-8 exactly, and its byte order is code point order either way.

export function encodeWtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** The text `encodeWtf8` wrote; throws on bytes it never writes. */
export function decodeWtf8(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (length === 0 || i + length > bytes.length) throw new Error("not WTF-8");
    let cp = length === 1 ? b : b & (0xff >> (length + 1));
    for (let j = 1; j < length; j++) {
      const next = bytes[i + j]!;
      if ((next & 0xc0) !== 0x80) throw new Error("not WTF-8");
      cp = (cp << 6) | (next & 0x3f);
    }
    text += String.fromCodePoint(cp);
    i += length;
  }
  return text;
}
