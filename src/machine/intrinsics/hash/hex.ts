export const toHex = (bytes: Iterable<number>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** Pads a message the MD/SHA way: 0x80, zeros, then the bit length in `lengthBytes` bytes. */
export function padMessage(
  message: Uint8Array,
  blockBytes: number,
  lengthBytes: number,
  littleEndian: boolean,
): Uint8Array {
  const total = Math.ceil((message.length + 1 + lengthBytes) / blockBytes) * blockBytes;
  const out = new Uint8Array(total);
  out.set(message);
  out[message.length] = 0x80;
  // Inputs are bounded (10,000 characters), so the bit length fits in a double exactly.
  let bits = message.length * 8;
  for (let i = 0; i < 8; i++) {
    const at = littleEndian ? total - lengthBytes + i : total - 1 - i;
    out[at] = bits % 256;
    bits = Math.floor(bits / 256);
  }
  return out;
}
